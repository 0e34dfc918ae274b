from transformers import AutoTokenizer

from govie.encoding import CharEncoder, split_windows


def test_every_known_character_gets_its_own_id(tiny_backbone):
    tok = AutoTokenizer.from_pretrained(tiny_backbone)
    enc = CharEncoder(tok)
    vocab = tok.get_vocab()
    ids = enc.encode("李成宽主持会议 x")
    assert ids[:6] == [vocab[c] for c in "李成宽主持会"]
    assert ids[7] == vocab["▁"], "whitespace has its own token"
    assert enc.encode("龘") == [tok.unk_token_id]
    assert enc.unknown_rate("李成宽") == 0.0


def test_windows_hold_whole_sentences():
    text = "一二三四五。六七八九十。" * 3
    wins = split_windows(text, 12)
    assert all(w.end - w.start <= 12 for w in wins)
    assert [text[w.start:w.end] for w in wins][0] == "一二三四五。六七八九十。"
    assert wins[-1].end == len(text)


def test_an_overlong_sentence_is_cut_at_a_comma_never_inside_a_protected_span():
    text = "甲" * 10 + "，" + "乙" * 10 + "。"
    wins = split_windows(text, 16)
    assert text[wins[0].start:wins[0].end] == "甲" * 10 + "，"
    wins = split_windows("丙" * 30, 16, no_cut=frozenset(range(10, 20)))
    assert all(not (10 < w.end < 20) for w in wins[:-1])
