import unicodedata

from hypothesis import given, strategies as st

from pipeline.normalize import fold_for_match, normalize_text

VIETNAMESE = st.text(alphabet=st.sampled_from(
    list("aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐbcghklmnpqrstvx ,.-–—\n\r\u00a0\u200b")
    + list("àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
    + ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]), max_size=80)


def test_old_and_new_tone_placement_are_one_word():
    assert normalize_text("Uỷ ban") == normalize_text("Ủy ban") == "Ủy ban"
    assert normalize_text("hoá học") == normalize_text("hóa học") == "hóa học"
    assert normalize_text("Hoà Bình, thuỷ lợi, khoẻ") == "Hòa Bình, thủy lợi, khỏe"


def test_tone_stays_where_the_syllable_needs_it():
    # closed syllables and "qu" keep their tone on the main vowel
    for word in ["hoạt", "toán", "quý", "quỳ", "tuyến", "ngoài", "thuở"]:
        assert normalize_text(word) == word


def test_decomposed_input_is_composed():
    nfd = unicodedata.normalize("NFD", "Tiếng Việt")
    assert normalize_text(nfd) == "Tiếng Việt"


def test_spaces_dashes_line_ends():
    assert normalize_text("a\u00a0b\u200bc\r\nd\re") == "a bc\nd\ne"
    assert normalize_text("2021\u20142025 \u2010 x") == "2021–2025 - x"


def test_fold_for_match_ignores_case_space_and_dash_kind():
    assert fold_for_match("Giai  đoạn 2021 – 2025") == fold_for_match("giai đoạn 2021-2025")


@given(VIETNAMESE)
def test_normalisation_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(VIETNAMESE)
def test_normalised_text_is_nfc(text):
    out = normalize_text(text)
    assert unicodedata.normalize("NFC", out) == out
