import pytest

from helpers import corpus


@pytest.fixture(scope="session")
def simplified_paragraphs():
    return corpus("cmrc2018_contexts.jsonl")


@pytest.fixture(scope="session")
def traditional_paragraphs():
    return corpus("drcd_contexts.jsonl")
