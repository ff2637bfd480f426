"""Build zhclean's character model (src/zhclean/data/zh_chars.tsv, zh_bigrams.txt, zh_bigram_counts.txt) from the corpora.

    .venv/bin/python tools/build_char_model.py

Source: fixtures/corpora (CMRC 2018 contexts, Simplified, CC BY-SA 4.0; DRCD contexts, Traditional,
CC BY-SA 3.0).  The model holds counts only: character frequencies (every Han character seen) and the
set of Han bigrams seen at least twice, with the counts of those seen three times or more.  zhclean uses it to judge how plausible decoded text is
(decode, fix_mojibake) and whether a line break splits a word (rejoin_paragraphs).
"""

import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def is_han(c: str) -> bool:
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


def main() -> None:
    chars, bigrams = Counter(), Counter()
    for name in ("cmrc2018_contexts.jsonl", "drcd_contexts.jsonl"):
        with open(ROOT / "fixtures" / "corpora" / name, encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)["text"]
                chars.update(t)
                bigrams.update(a + b for a, b in zip(t, t[1:]) if is_han(a) and is_han(b))
    data = ROOT / "src" / "zhclean" / "data"
    with open(data / "zh_chars.tsv", "w", encoding="utf-8") as f:
        f.write("# character\tcount (CMRC 2018 + DRCD contexts; CC BY-SA; tools/build_char_model.py)\n")
        for c, n in chars.most_common():
            if c.strip() and c not in "\t\n":
                f.write(f"{c}\t{n}\n")
    kept = sorted(b for b, n in bigrams.items() if n >= 2)
    with open(data / "zh_bigrams.txt", "w", encoding="utf-8") as f:
        f.write("# Han bigrams seen at least twice (CMRC 2018 + DRCD contexts; CC BY-SA; tools/build_char_model.py)\n")
        for i in range(0, len(kept), 64):
            f.write("".join(kept[i:i + 64]) + "\n")
    # the counts of the bigrams seen three times or more (zh_bigrams.txt implies two for the rest),
    # one line per count: the count, a tab, the bigrams
    by_count: dict[int, list[str]] = {}
    for b in kept:
        if bigrams[b] >= 3:
            by_count.setdefault(bigrams[b], []).append(b)
    with open(data / "zh_bigram_counts.txt", "w", encoding="utf-8") as f:
        f.write("# counts of the Han bigrams seen three times or more (same source; tools/build_char_model.py)\n")
        for n in sorted(by_count):
            f.write(f"{n}\t{''.join(by_count[n])}\n")
    print(len(chars), "characters,", len(kept), "bigrams,", sum(map(len, by_count.values())), "counted")


if __name__ == "__main__":
    main()
