import torch

from govie.decoding import bio_to_spans, candidate_pairs, spans_to_bio, viterbi_bio
from govie.schema import BIO_LABELS, LABEL2ID


def test_spans_and_tags_round_trip():
    spans = [(0, 2, "ORG"), (2, 4, "TITLE"), (5, 8, "PER")]
    tags = spans_to_bio(9, spans)
    assert tags[:5] == ["B-ORG", "I-ORG", "B-TITLE", "I-TITLE", "O"]
    assert bio_to_spans(tags) == spans


def test_viterbi_never_starts_an_entity_with_I():
    # The best label at every position on its own is I-PER; valid BIO must change it.
    scores = torch.full((1, 3, len(BIO_LABELS)), -5.0)
    scores[0, :, LABEL2ID["I-PER"]] = 0.0
    scores[0, :, LABEL2ID["B-PER"]] = -1.0
    [path] = viterbi_bio(scores, [3])
    tags = [BIO_LABELS[k] for k in path]
    assert tags == ["B-PER", "I-PER", "I-PER"]


def test_viterbi_respects_each_sequence_length():
    scores = torch.log_softmax(torch.randn(2, 6, len(BIO_LABELS)), -1)
    paths = viterbi_bio(scores, [6, 2])
    assert [len(p) for p in paths] == [6, 2]
    for path in paths:
        tags = [BIO_LABELS[k] for k in path]
        for prev, cur in zip(["O"] + tags, tags):
            if cur.startswith("I-"):
                assert prev[2:] == cur[2:]


def test_candidates_are_schema_pairs_in_one_sentence():
    ents = [(0, 3, "PER"), (3, 5, "TITLE"), (6, 8, "TITLE")]
    assert candidate_pairs(ents, [0, 0, 1]) == [(0, 1)]
