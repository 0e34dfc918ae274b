from hypothesis import given, settings
from hypothesis import strategies as st

from govie.normalize import normalize


def test_traditional_pinyin_html_and_width_are_folded_with_offsets_kept():
    text = "縣委書(shū)記王某&nbsp;主持<br/>會議。ＡＢＣ１２３"
    norm = normalize(text)
    assert norm.text == "县委书记王某 主持 会议。ABC123"
    # every normalised character points back at the original slice it came from
    assert text[slice(*norm.to_original(0, 4))] == "縣委書(shū)記"
    assert text[slice(*norm.to_original(13, 19))] == "ＡＢＣ１２３"


def test_pinyin_inside_an_entity_stays_inside_after_it_stays_outside():
    text = "堯都區(qū)委，堯都區(qū)"
    norm = normalize(text)
    assert norm.text == "尧都区委,尧都区"
    assert text[slice(*norm.to_original(0, 4))] == "堯都區(qū)委"
    assert text[slice(*norm.to_original(5, 8))] == "堯都區"


def test_parenthesised_english_is_not_taken_for_pinyin():
    assert normalize("组织（opec）").text == "组织(opec)"


def test_zero_width_and_control_characters():
    norm = normalize("李\u200b成宽\r\n\x07")
    assert norm.text == "李成宽\n\n "
    assert norm.to_original(0, 3) == (0, 4)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_offset_map_is_monotone_and_in_range(text):
    norm = normalize(text)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    for i in range(len(norm.text)):
        assert 0 <= norm.starts[i] < norm.ends[i] <= len(text)
        if i:
            assert norm.starts[i - 1] <= norm.starts[i] and norm.ends[i - 1] <= norm.ends[i]
