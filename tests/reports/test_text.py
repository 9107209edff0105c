import pytest

from reports.text import locate_quote, normalize_url, text_sha256


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("  https://Example.ORG/a/b  ", "https://example.org/a/b"),
        ("http://example.org:80/", "http://example.org/"),
        ("https://example.org:8443/x", "https://example.org:8443/x"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/x?b=2&a=1&utm_medium=rss#para3", "https://example.org/x?b=2&a=1"),
        ("", ""),
    ],
)
def test_it_normalises_urls(url, normal):
    assert normalize_url(url) == normal


def test_the_fingerprint_ignores_spacing_and_line_ends_but_not_words():
    assert text_sha256("A  b\r\nc \n\n") == text_sha256("A b\nc")
    assert text_sha256("A b c") != text_sha256("A b d")
    assert text_sha256("  \n ") == ""


def test_it_locates_a_quote_by_paragraph():
    text = "Title line\n\nFirst ‘quoted’ words.\nSecond paragraph here."
    assert locate_quote("First 'quoted' words.", text) == "paragraph 2"
    assert locate_quote("words. Second", text) == "paragraphs 2-3"
    assert locate_quote("first 'quoted' words.", text) is None  # verbatim, case included
    assert locate_quote("   ", text) is None


def test_a_url_keeps_no_character_that_could_break_out_of_an_attribute():
    from reports.text import normalize_url

    stored = normalize_url('https://x.example/"><script>alert(6)</script>')
    assert stored == "https://x.example/%22%3E%3Cscript%3Ealert(6)%3C/script%3E"
    assert not set('"<> ') & set(normalize_url("https://x.example/a b/<c>"))
    # Letters of any script stay readable.
    assert normalize_url("https://www.bbc.com/arabic/عربي") == "https://www.bbc.com/arabic/عربي"
