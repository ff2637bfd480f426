"""Near-duplicate detection: shingling, vectorised MinHash, LSH index and storage."""
