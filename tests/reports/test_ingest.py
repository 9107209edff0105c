"""Article ingestion: read, store once, find, propose drafts; never publish."""

import datetime
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.ingest import IngestError, ingest_article
from reports.ingest.finding import Gazetteer, resolve_date, split_sentences
from reports.ingest.reading import read_article
from reports.models import Citation, DamageReport, SourceArticle
from reports.text import locate_quote
from reports.vocabularies import DatePrecision, Status
from sites.models import AlternativeName, HeritageSite, Monument
from tests.admin_pages import admin_url
from tests.factories import make_published_report

pytestmark = pytest.mark.django_db

CASES = Path(__file__).parent / "ingest_cases"
SEED = (CASES / "palmyra-recaptured-2016.txt").read_bytes()
RECAPTURE = datetime.date(2016, 3, 27)

HTML_PAGE = b"""<!DOCTYPE html><html><head><title>Temple blown up | Example News</title>
<meta name="author" content="Jane Reporter"><meta property="article:published_time"
content="2015-08-31T10:00:00Z"></head><body><nav>Home | World | Sport</nav>
<article><h1>Temple of Bel blown up</h1><p>Satellite images show that the main building of
the Temple of Bel in Palmyra was blown up by militants on Sunday, the United Nations said.</p>
<p>The gateway of the temple is still standing, analysts said after comparing images.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def test_plain_text_has_its_title_on_the_first_line():
    article = read_article(SEED)
    assert (
        article.title == "Backed by Russia, Syria forces retake Palmyra in major victory over ISIS"
    )
    assert article.text.startswith("Backed by Russian forces, Syrian troops recaptured")


def test_a_saved_web_page_gives_its_main_text_title_author_and_date():
    article = read_article(HTML_PAGE)
    assert "Satellite images show that the main building" in article.text
    assert "Sport" not in article.text and "Copyright" not in article.text
    assert article.author == "Jane Reporter"
    assert article.published_on == datetime.date(2015, 8, 31)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Titre\nLe temple a été détruit.".encode("latin-1"), "encoding cannot be read"),
        (b"A title\n" + b"x" * (2 * 1024 * 1024 + 1), "the limit of 2 MB"),
        (b"Only a title", "no article under it"),
        (b"<html><body><p>Too short.</p></body></html>", "No article text was found"),
    ],
)
def test_bad_input_is_one_clear_error_and_saves_nothing(data, message):
    with pytest.raises(IngestError, match=message):
        ingest_article(data=data)
    assert not SourceArticle.objects.exists()


def test_the_command_refuses_bad_input_with_one_line_and_a_non_zero_exit(tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x00\x01\x02")
    result = subprocess.run(
        [sys.executable, "manage.py", "ingest_article", str(binary)],
        cwd=Path(__file__).parents[2],
        env={
            "DJANGO_DEBUG": "1",
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "CommandError: This is a binary file, not a text or a saved web page."
    )


def test_the_same_article_is_stored_once_by_url_or_by_text(demo):
    first = ingest_article(data=SEED, url="https://news.example.org/palmyra?utm_source=feed")
    assert not first.article_created  # the demo already holds this very text
    page = ingest_article(data=HTML_PAGE, url="https://news.example.org/bel")
    again = ingest_article(
        data=HTML_PAGE.replace(b"Sunday", b"Sunday night"), url="https://NEWS.example.org/bel#top"
    )
    assert page.article_created and not again.article_created
    assert again.article == page.article
    assert "already recorded" in again.messages[0]


def test_the_seed_article_yields_the_expected_proposals(demo):
    SourceArticle.objects.all().delete() if False else None
    DamageReport.objects.all().delete()
    result = ingest_article(data=SEED, published_on=RECAPTURE)
    found = {
        (r.monument.slug if r.monument else r.site.slug, r.damage_type): r
        for r in result.proposals
    }
    assert set(found) == {
        ("monumental-arch", "explosives"),  # its triumphal arch
        ("palmyra", "explosives"),  # two temples and a dozen tower tombs, not named
        ("roman-theatre", "misuse"),  # the amphitheatre, a venue for public executions
        ("palmyra", "mines"),  # mines and bombs planted in the ruins
        ("palmyra", "military_use"),  # overran the ruins in May 2015
    }
    temples_and_tombs = found[("palmyra", "explosives")]
    assert "temples; tower tombs" in temples_and_tombs.proposal_matches
    assert "blown up" in temples_and_tombs.proposal_matches
    assert temples_and_tombs.occurred_display == "May 2015 – 27 March 2016"
    for report in result.proposals:
        assert report.status == Status.DRAFT
        assert 0 < report.proposal_confidence <= 1
        assert report.citations.exists()
        for citation in report.citations.all():
            assert locate_quote(citation.quote, citation.article.text) is not None
            assert citation.quote in citation.article.text  # the exact sentence


def test_re_ingesting_proposes_nothing_twice(demo):
    first = ingest_article(data=HTML_PAGE)
    assert len(first.proposals) == 1
    again = ingest_article(data=HTML_PAGE)
    assert (again.proposals, again.already_proposed) == ([], 1)
    assert DamageReport.objects.filter(proposal_confidence__isnull=False).count() == 1


def test_proposals_are_never_published(demo):
    ingest_article(data=HTML_PAGE)
    assert not DamageReport.objects.filter(
        proposal_confidence__isnull=False, status=Status.PUBLISHED
    ).exists()


@pytest.mark.parametrize(
    ("sentence", "date", "precision"),
    [
        ("It was blown up on 30 August 2015.", datetime.date(2015, 8, 30), DatePrecision.DAY),
        ("It was blown up on August 30, 2015.", datetime.date(2015, 8, 30), DatePrecision.DAY),
        ("ISIS overran the ruins in May 2015.", datetime.date(2015, 5, 1), DatePrecision.MONTH),
        ("Russia intervened last September.", datetime.date(2015, 9, 1), DatePrecision.MONTH),
        ("On Thursday, the army announced it.", datetime.date(2016, 3, 24), DatePrecision.DAY),
        ("Militants struck on Sunday.", datetime.date(2016, 3, 27), DatePrecision.DAY),
        ("The museum was looted yesterday.", datetime.date(2016, 3, 26), DatePrecision.DAY),
        ("Troops recaptured the city today.", datetime.date(2016, 3, 27), DatePrecision.DAY),
        (
            "It was packed with explosives on 23 August.",
            datetime.date(2015, 8, 23),
            DatePrecision.DAY,
        ),
        ("It was first looted in 2013.", datetime.date(2013, 1, 1), DatePrecision.YEAR),
    ],
)
def test_dates_are_resolved_against_the_article_date_with_their_precision(
    sentence, date, precision
):
    when = resolve_date(sentence, RECAPTURE)
    assert (when.start, when.start_precision) == (date, precision)


def test_a_sentence_without_a_date_is_placed_between_the_last_date_and_the_article():
    assert resolve_date("It has since blown up two temples.", RECAPTURE) is None


def test_sentences_are_split_and_kept_verbatim():
    text = 'He said: "They blew it up." Then he left.\nNew paragraph, Dr. Smith said.'
    assert split_sentences(text) == [
        'He said: "They blew it up."',
        "Then he left.",
        "New paragraph, Dr. Smith said.",
    ]


def test_names_are_matched_in_any_case_in_the_plural_and_slightly_misspelt(demo):
    gazetteer = Gazetteer()
    palmyra = HeritageSite.objects.get(slug="palmyra")

    def named(sentence: str) -> list[str]:
        return sorted(
            m.monuments[0].slug
            for m in gazetteer.mentions(sentence, [palmyra])
            if m.kind == "monument"
        )

    assert named("the TEMPLE OF BAAL was hit") == ["temple-of-bel"]
    assert named("the Arch of Triumph fell") == ["monumental-arch"]
    assert named("the Temple of Balshamin was mined") == ["temple-of-baalshamin"]
    assert named("the Tower of Kitot collapsed") == ["tower-of-kithot"]
    assert named("the temple was hit") == []  # a kind word names no monument by itself


def test_a_curator_ingests_an_article_from_the_admin(client, editor, demo):
    client.force_login(editor)
    url = reverse_ingest()
    assert client.get(url).status_code == 200
    text = (CASES / "tetrapylon-theatre-2017.txt").read_text()
    response = client.post(
        url,
        {
            "text": text,
            "published_on": "2017-01-20",
            "language": "en",
            "publisher": "Example News",
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("?proposed=yes&status__exact=draft")
    proposals = DamageReport.objects.filter(proposal_confidence__isnull=False)
    assert {(p.monument.slug, p.damage_type) for p in proposals} == {
        ("tetrapylon", "explosives"),
        ("roman-theatre", "explosives"),
        ("roman-theatre", "misuse"),
    }
    assert {p.created_by for p in proposals} == {editor}
    listing = client.get(response.url)
    assert len(listing.context["cl"].result_list) == 3
    page = client.get(admin_url(DamageReport, "change", proposals[0].pk)).content.decode()
    assert "Proposed from an article" in page and "why proposed" in page.lower()


def test_the_admin_page_refuses_bad_input_with_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(reverse_ingest(), {"text": "", "language": "en"})
    assert "Upload the article or paste its text." in response.content.decode()
    response = client.post(reverse_ingest(), {"text": "Just a title", "language": "en"})
    assert "no article under it" in response.content.decode()
    assert not SourceArticle.objects.exists()


def test_a_proposal_is_merged_into_an_existing_report(client, reviewer, demo):
    client.force_login(reviewer)
    result = ingest_article(data=HTML_PAGE)
    (proposal,) = result.proposals
    existing = DamageReport.objects.get(
        monument__slug="temple-of-bel",
        proposal_confidence=None,
        occurred_on__year=2015,
        occurred_until__isnull=False,
    )
    response = client.post(
        admin_url(DamageReport, "changelist"),
        {"action": "merge_proposal", "_selected_action": [proposal.pk, existing.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    # the sentence (the page's headline is its title, not a paragraph to quote)
    assert any("1 citation(s) added" in m for m in messages), messages
    assert not DamageReport.objects.filter(pk=proposal.pk).exists()
    assert existing.citations.filter(article=result.article).count() == 1


def test_proposals_are_discarded_but_curators_reports_are_kept(client, editor, demo):
    client.force_login(editor)
    result = ingest_article(data=HTML_PAGE)
    curated = make_published_report()
    response = client.post(
        admin_url(DamageReport, "changelist"),
        {"action": "discard_proposals", "_selected_action": [result.proposals[0].pk, curated.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "1 proposal(s) discarded." in messages
    assert any(m.startswith("Kept:") for m in messages)
    assert DamageReport.objects.filter(pk=curated.pk).exists()
    assert Citation.objects.filter(article=result.article).count() == 0


def test_the_command_reports_what_it_stored_and_proposed(demo, tmp_path):
    out = io.StringIO()
    call_command(
        "ingest_article",
        str(CASES / "tetrapylon-theatre-2017.txt"),
        "--date",
        "2017-01-20",
        stdout=out,
    )
    text = out.getvalue()
    assert "Stored: “Islamic State blows up Palmyra's Tetrapylon" in text
    assert "3 draft(s) proposed, 0 already proposed before." in text
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("ingest_article", str(CASES / "nimrud-2015.txt"), "--date", "12/04/2015")


def reverse_ingest() -> str:
    from django.urls import reverse

    return reverse("admin:reports_damagereport_ingest")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("language", "<b>", "Use a language code such as"),
        ("publisher", "P" * 256, "at most 255 characters (it has 256)"),
        ("title", "T" * 501, "at most 500 characters (it has 501)"),
        ("url", "https://example.org/" + "a" * 2000, "at most 2000 characters"),
        # as the command: "30/08/2015" is read one way in one country and another elsewhere
        ("published_on", "30/08/2015", "Enter a valid date"),
    ],
)
def test_the_admin_page_checks_every_field_against_the_models_limits(
    client, editor, name, value, message
):
    client.force_login(editor)
    text = (CASES / "tetrapylon-theatre-2017.txt").read_text()
    entered = {
        "text": text,
        "published_on": "2017-01-20",
        "language": "en",
        "publisher": "Example News",
        name: value,
    }
    response = client.post(reverse_ingest(), entered)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [name]
    assert message in form.errors[name][0]
    # The curator's other input stays in the form, to be corrected rather than typed again.
    for other in ("text", "published_on", "publisher"):
        if other != name:
            assert str(form[other].value()) == entered[other]
    assert not SourceArticle.objects.exists()


def test_the_command_refuses_a_language_code_it_cannot_store(tmp_path):
    with pytest.raises(CommandError, match="language: Use a language code"):
        call_command("ingest_article", str(CASES / "nimrud-2015.txt"), "--language", "<b>")
    assert not SourceArticle.objects.exists()


def test_the_command_reads_utf16_with_its_byte_order_mark(tmp_path):
    article = tmp_path / "article.txt"
    article.write_bytes((CASES / "nimrud-2015.txt").read_text().encode("utf-16"))
    call_command("ingest_article", str(article), stdout=io.StringIO())
    stored = SourceArticle.objects.get()
    assert stored.text == read_article((CASES / "nimrud-2015.txt").read_bytes()).text


def test_the_command_refuses_utf16_text_holding_a_nul_character(tmp_path):
    article = tmp_path / "article.txt"
    article.write_bytes("Temple damaged\nThe temple was\x00 damaged.".encode("utf-16"))
    with pytest.raises(CommandError, match="binary file"):
        call_command("ingest_article", str(article))
    assert not SourceArticle.objects.exists()


def test_merging_two_reports_neither_of_them_a_proposal_says_so(client, reviewer, demo):
    client.force_login(reviewer)
    first, second = DamageReport.objects.all()[:2]
    response = client.post(
        admin_url(DamageReport, "changelist"),
        {"action": "merge_proposal", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    (message,) = [str(m) for m in response.context["messages"]]
    assert message == (
        "You selected 2 report(s), none of them proposed from an article. Select two: a "
        "proposal, and the report to merge it into."
    )


def test_the_proposals_list_shows_each_drafts_sentences_with_the_matched_words_marked(
    client, editor, demo, django_assert_max_num_queries
):
    client.force_login(editor)
    DamageReport.objects.all().delete()  # the demo's reports cite the seed article already
    ingest_article(data=SEED, published_on=RECAPTURE)
    url = admin_url(DamageReport, "changelist") + "?proposed=yes&status__exact=draft"
    with django_assert_max_num_queries(12):  # the sentences of every draft in one query
        page = client.get(url).content.decode()
    assert "From the article" in page
    arch = DamageReport.objects.get(monument__slug="monumental-arch", proposal_confidence__gt=0)
    quote = arch.citations.get().quote
    assert "<mark>triumphal arch</mark>" in page and "<mark>blown up</mark>" in page
    assert quote.split("triumphal arch")[0][-20:] in page  # the sentence itself, escaped
    # The same on the draft's own page; the list of curators' reports has no such column.
    draft = client.get(admin_url(DamageReport, "change", arch.pk)).content.decode()
    assert "<mark>triumphal arch</mark>" in draft
    listing = client.get(admin_url(DamageReport, "changelist")).content.decode()
    assert "From the article" not in listing


def test_marked_words_are_escaped_like_the_rest_of_the_sentence():
    from reports.admin import marked

    assert str(marked('The <b>arch</b> & "gate" fell', ["arch", "<b>"])) == (
        "The <mark>&lt;b&gt;</mark><mark>arch</mark>&lt;/b&gt; &amp; &quot;gate&quot; fell"
    )


def test_finding_takes_the_same_queries_whatever_the_number_of_monuments(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.ingest.finding import find_candidates

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            find_candidates("Title", SEED.decode(), RECAPTURE, Gazetteer())
        return len(captured)

    before = queries()
    site = HeritageSite.objects.create(slug="elsewhere", name="Elsewhere", countries=["IQ"])
    Monument.objects.bulk_create(
        Monument(site=site, slug=f"m-{n}", name=f"Monument number {n}") for n in range(300)
    )
    assert queries() == before <= 4  # sites, their other names, monuments, alternative names


def test_the_kept_gazetteer_is_read_again_once_a_name_changes(demo):
    from reports.ingest.places import current_gazetteer

    first = current_gazetteer()
    assert current_gazetteer() is first  # nothing changed: the one already built
    arch = Monument.objects.get(slug="monumental-arch")
    alias = AlternativeName.objects.create(monument=arch, name="Bab al-Nasr")
    second = current_gazetteer()
    assert second is not first and "bab al nasr" in second.names.monuments
    alias.name = "Bab an-Nasr"
    alias.save()  # the same number of names, one of them changed
    third = current_gazetteer()
    assert "bab an nasr" in third.names.monuments and "bab al nasr" not in third.names.monuments
    alias.delete()
    assert "bab an nasr" not in current_gazetteer().names.monuments


def test_building_the_gazetteer_leaves_the_cycle_collector_as_it_found_it(demo):
    # The build pauses it (its objects are never garbage); a caller's choice stands after.
    import gc

    assert gc.isenabled()
    Gazetteer()
    assert gc.isenabled()
    gc.disable()
    try:
        Gazetteer()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_names_fold_alike_whether_plain_or_marked():
    # Plain ASCII names take a short way: it must fold them as the word-by-word way does.
    from reports.ingest.places import _WORD, fold, fold_name

    names = [
        "Temple of Bel", "Great Mosque of Aleppo", "St. George's Church", "Ba`al Shamin",
        "Qal'at Salah El-Din", "Baʿal-Shamin", "Tower  of Elahbel (Palmyra)", "UNESCO_23",
    ]  # fmt: skip
    for name in names:
        assert fold_name(name) == " ".join(fold(word) for word in _WORD.findall(name)), name


def test_a_programme_called_today_is_no_date():
    # The Guardian, 20 June 2024: "Dr Merriman told BBC Radio 4's Today Programme: …"
    from reports.ingest.dates import dates_in

    published = datetime.date(2024, 6, 20)
    said = "Dr Merriman told BBC Radio 4’s Today Programme: “It’s difficult”"
    assert dates_in(said, published) == []
    assert [d.when.start for d in dates_in("The stones were sprayed today.", published)] == [
        published
    ]


def test_a_convention_named_by_its_year_is_no_date():
    # The Art Newspaper, 1 October 1991: "… invokes the 1954 Hague Convention".
    from reports.ingest.dates import dates_in

    published = datetime.date(1991, 10, 1)
    said = "The Minister sends list of destruction to Unesco and invokes the 1954 Hague Convention"
    assert dates_in(said, published) == []
    assert [d.when.start.year for d in dates_in("It was shelled in 1954.", published)] == [1954]


def test_weapons_an_army_holds_are_not_damage_it_did():
    # "The Yugoslav National Army, which controls all the major artillery and air power, …"
    from reports.ingest.lexicon import CANCEL_BEFORE

    assert CANCEL_BEFORE.search("the Yugoslav National Army, which controls all the major ")
    assert not CANCEL_BEFORE.search("Rebels who controlled the town ")


def test_a_contracted_not_cancels_a_claim_like_a_whole_one():
    from reports.ingest.lexicon import CANCEL_BEFORE

    for before in ("the museum wasn’t ", "a statue doesn't appear to be ", "they didn't "):
        assert CANCEL_BEFORE.search(before), before
    assert not CANCEL_BEFORE.search("Shelling on the Tennant ")  # "nt" in a word is no "n't"


@pytest.mark.parametrize(
    ("other", "refusal"),
    [
        (
            "Aleppo\nShelling damaged the Great Mosque of Aleppo.",
            "only reports about the same site",
        ),
        ("Palmyra\nShelling damaged the Roman Theatre of Palmyra.", "about the same monument"),
    ],
    ids=["another site", "another monument"],
)
def test_a_proposal_is_never_merged_into_a_report_about_another_place(
    client, reviewer, demo, other, refusal
):
    """Found by an outside probe: an Aleppo sentence was merged into a Palmyra temple's
    report."""
    client.force_login(reviewer)
    (proposal,) = ingest_article(data=HTML_PAGE).proposals  # the Temple of Bel
    (elsewhere,) = ingest_article(data=other, publisher="P").proposals
    citations = elsewhere.citations.count()
    response = client.post(
        admin_url(DamageReport, "changelist"),
        {"action": "merge_proposal", "_selected_action": [proposal.pk, elsewhere.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(refusal in m for m in messages), messages
    assert DamageReport.objects.filter(pk=proposal.pk).exists()
    assert elsewhere.citations.count() == citations


def test_a_draft_a_curator_changed_is_not_proposed_again_as_it_was(client, editor, demo):
    """Found by an outside probe: a draft edited to another damage type was proposed again, as
    first proposed, by the next ingestion of its article."""
    from reports.models import Proposal

    first = ingest_article(data=HTML_PAGE)
    (draft,) = first.proposals
    proposed_as = draft.damage_type
    draft.damage_type = "unknown" if proposed_as != "unknown" else "fire"
    draft.save()
    again = ingest_article(data=HTML_PAGE)
    assert again.proposals == [] and again.already_proposed == 1
    record = Proposal.objects.get(article=first.article)
    assert (record.damage_type, record.report, record.discarded_at) == (proposed_as, draft, None)


def test_an_article_saved_as_a_web_page_and_as_text_is_one_article(demo):
    """Found by an outside probe: the page's text began with its headline and kept paragraphs
    one to a line, the text file between blank lines; every draft was proposed twice."""
    paragraphs = [
        "Islamic State militants blew up the Temple of Baalshamin in Palmyra on Sunday.",
        "The temple was built in the first century, activists said.",
    ]
    title = "ISIS destroys the temple of Baalshamin, Palmyra"
    page = (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>"
    )
    from_page = ingest_article(data=page, publisher="P", published_on=datetime.date(2015, 8, 24))
    assert not from_page.article.text.startswith(title)
    from_text = ingest_article(data=title + "\n\n" + "\n\n".join(paragraphs), publisher="P")
    assert not from_text.article_created and from_text.article == from_page.article
    assert from_text.proposals == []
