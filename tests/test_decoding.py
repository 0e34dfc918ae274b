import torch

from govie.decoding import bio_to_spans, candidate_pairs, spans_to_bio, tidy_spans, trim_span, viterbi_bio
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


def _brute_force_best(scores: torch.Tensor, labels: tuple[str, ...]) -> list[int]:
    """The highest-scoring valid BIO path, by enumerating all paths."""
    import itertools

    best, best_path = float("-inf"), None
    for path in itertools.product(range(len(labels)), repeat=scores.shape[0]):
        tags = [labels[k] for k in path]
        if any(cur.startswith("I-") and prev[2:] != cur[2:] for prev, cur in zip(["O"] + tags, tags)):
            continue
        total = float(sum(scores[t, k] for t, k in enumerate(path)))
        if total > best:
            best, best_path = total, list(path)
    return best_path


def test_viterbi_finds_the_best_valid_path_of_a_batch():
    labels = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG")
    gen = torch.Generator().manual_seed(0)
    scores = torch.log_softmax(torch.randn(6, 5, len(labels), generator=gen), -1)
    lengths = [5, 4, 1, 3, 5, 2]
    paths = viterbi_bio(scores, lengths, labels)
    for b, length in enumerate(lengths):
        assert paths[b] == _brute_force_best(scores[b, :length], labels)
    # NumPy input gives the same paths
    assert viterbi_bio(scores.numpy(), lengths, labels) == paths


def spans_of(text, spans):
    return [(text[s:e], t) for s, e, t, _ in tidy_spans(text, spans)]


def test_surrounding_quotes_and_stray_brackets_are_trimmed():
    text = "举办“招商项目签约暨合作恳谈会”，印发《关于表彰的决定》(以下简称"
    event = (text.index("“"), text.index("，"), "EVENT", 0.9)
    doc = (text.index("《"), text.index("以"), "DOC", 0.9)  # runs into the opening bracket
    assert spans_of(text, [event, doc]) == [("招商项目签约暨合作恳谈会", "EVENT"), ("《关于表彰的决定》", "DOC")]


def test_quotes_inside_a_name_stay():
    text = "开展“双报到”活动"
    assert trim_span(text, 2, len(text), "EVENT") == (2, len(text))
    text = "“教育发展促进会"  # an opening quote whose partner is outside the span
    assert trim_span(text, 0, len(text), "ORG") == (1, len(text))


def test_a_quoted_name_split_at_its_comma_is_joined():
    text = "开展“守护绿水青山，争做环保先锋”主题实践活动。"
    comma = text.index("，")
    spans = [(2, comma, "EVENT", 0.9), (comma + 1, len(text) - 1, "EVENT", 0.6)]
    (s, e, t, score), = tidy_spans(text, spans)
    assert text[s:e] == "“守护绿水青山，争做环保先锋”主题实践活动" and t == "EVENT"
    assert min(0.9, 0.6) < score < max(0.9, 0.6)
    # not across a sentence end, and not between two types
    other = "“学习党史。疫情”活动"
    assert len(tidy_spans(other, [(0, 5, "EVENT", 0.9), (6, 10, "EVENT", 0.9)])) == 2
    assert len(tidy_spans(text, [(2, comma, "EVENT", 0.9), (comma + 1, len(text) - 1, "DOC", 0.9)])) == 2


def test_one_character_event_and_doc_are_dropped_but_a_one_character_place_is_kept():
    text = "第一次会议在伊举行"
    assert spans_of(text, [(0, 1, "EVENT", 0.9), (6, 7, "LOC", 0.9)]) == [("伊", "LOC")]


def test_a_status_mark_after_a_document_name_is_cut_off_but_one_inside_its_title_stays():
    text = "审议通过了市政协九届五次会议决议（草案）、《大会选举办法》(草案和《某县救助办法（试行）》。"
    resolution = (text.index("市"), text.index("、"), "DOC", 0.9)
    rules = (text.index("《"), text.index("和"), "DOC", 0.9)  # the tagger stopped before the closer
    titled = (text.index("和") + 1, len(text) - 1, "DOC", 0.9)
    assert spans_of(text, [resolution, rules, titled]) == [
        ("市政协九届五次会议决议", "DOC"), ("《大会选举办法》", "DOC"), ("《某县救助办法（试行）》", "DOC")]
    # only documents: an event keeps what the tagger gave it
    assert spans_of(text, [(resolution[0], resolution[1], "EVENT", 0.9)]) == [("市政协九届五次会议决议（草案）", "EVENT")]


def test_a_list_separator_at_an_edge_is_trimmed_and_what_is_left_of_a_fragment_goes():
    text = "学习了省、市、区汛期安全生产会议精神"
    fragment = (text.index("市"), text.index("市") + 2, "EVENT", 0.9)  # 市、
    meeting = (text.index("区") + 1, text.index("精"), "EVENT", 0.9)
    assert spans_of(text, [fragment, meeting]) == [("汛期安全生产会议", "EVENT")]
    assert trim_span("，张三、", 0, 4, "PER") == (1, 3)


def test_touching_event_or_document_pieces_are_one_name_but_two_titles_stay_two():
    text = "市慈善会举行驰援某县抗震救灾捐赠仪式，印发关于印发《某县应急\n预案》的通知和《甲办法》《乙办法》"
    ceremony = text.index("驰"), text.index("，")
    split_at = text.index("某县")  # the tagger broke the name after the verb
    notice = text.index("关于"), text.index("和")
    assert spans_of(text, [(ceremony[0], split_at, "EVENT", 0.9), (split_at, ceremony[1], "EVENT", 0.7),
                           (notice[0], notice[0] + 4, "DOC", 0.9), (notice[0] + 4, notice[1], "DOC", 0.9),
                           (notice[1] + 1, notice[1] + 6, "DOC", 0.9), (notice[1] + 6, len(text), "DOC", 0.9)]) == [
        ("驰援某县抗震救灾捐赠仪式", "EVENT"), ("关于印发《某县应急\n预案》的通知", "DOC"),
        ("《甲办法》", "DOC"), ("《乙办法》", "DOC")]
    # other types may touch: a place right before another place stays two
    assert len(tidy_spans("北京上海", [(0, 2, "LOC", 0.9), (2, 4, "LOC", 0.9)])) == 2
