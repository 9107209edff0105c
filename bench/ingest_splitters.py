"""Which sentence splitter ingestion should use, measured: our rules (reports/ingest/finding.py
split_sentences) against the two splitters on PyPI that need no model download, pysbd and
syntok, each put in the pipeline in turn: precision and recall on the corpus's development part
and on its held-out part, milliseconds per article, and whether every sentence is the text's
own (a citation must be). spaCy's and Stanza's parsers are not here: their English models are
not published on PyPI by their makers (spaCy's are GitHub release wheels, Stanza downloads at
run time), which rules them out for `make run`.

    .venv/bin/python bench/ingest_splitters.py
"""

import time

from ingest_setup import CORPUS, throwaway_database


def main() -> None:
    throwaway_database("ingest-splitters-")
    import pysbd
    import syntok.segmenter

    import reports.ingest.finding as finding
    from reports.ingest.quality import FOLDS, HELD_OUT_FOLD, evaluate, load_cases, score

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=False)

    def by_pysbd(text: str) -> list[str]:
        return [
            s.strip() for line in text.splitlines() for s in segmenter.segment(line) if s.strip()
        ]

    def by_syntok(text: str) -> list[str]:
        return [
            sentence
            for line in text.splitlines()
            for paragraph in syntok.segmenter.analyze(line)
            for tokens in paragraph
            if (sentence := "".join(t.spacing + t.value for t in tokens).strip())
        ]

    ours = finding.split_sentences
    cases = load_cases(CORPUS)
    development = {fold for fold in range(FOLDS) if fold != HELD_OUT_FOLD}
    print(f"{'splitter':14} {'development':44} {'held out':44} ms/article verbatim")
    for name, split in [
        ("our rules", ours),
        ("pysbd 0.3.4", by_pysbd),
        ("syntok 1.4.4", by_syntok),
    ]:
        finding.split_sentences = split
        started = time.perf_counter()
        for _ in range(10):
            for case in cases:
                split(case.text)
        per_article = (time.perf_counter() - started) / (10 * len(cases)) * 1000
        verbatim = all(s in case.text for case in cases for s in split(case.text))
        print(
            f"{name:14} {score(evaluate(cases, folds=development))!s:44} "
            f"{score(evaluate(cases, folds={HELD_OUT_FOLD}))!s:44} {per_article:10.2f} {verbatim}"
        )
    finding.split_sentences = ours


if __name__ == "__main__":
    main()
