"""Article ingestion measured on real articles: precision and recall of the (place, damage
type) pairs it proposes, on the held-out third of tests/reports/ingest_corpus/ (no rule was
tuned on it) and on the two thirds it was developed on, per damage type and per kind of error;
how often the date of a right proposal is the labelled one; and the time to ingest each
article (the whole pipeline: read, store, find, propose), against the demo data plus every
case's places in a throwaway SQLite database.

    .venv/bin/python bench/ingest_quality.py                  # the corpus, then the old cases
    .venv/bin/python bench/ingest_quality.py --cases DIR      # another folder of cases
    .venv/bin/python bench/ingest_quality.py --show-held-out  # list the held-out errors too
"""

import argparse
import statistics
import time
from pathlib import Path

from ingest_setup import CORPUS, ROOT, throwaway_database

OLD_CASES = ROOT / "tests" / "reports" / "ingest_cases"
SECOND_LABELLING = CORPUS / "second-labelling" / "held-out.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, help="a folder of cases, all of them reported")
    parser.add_argument("--show-held-out", action="store_true")
    args = parser.parse_args()
    throwaway_database("ingest-quality-")
    from reports.ingest.quality import FOLDS, HELD_OUT_FOLD, evaluate, load_cases

    if args.cases:
        cases = load_cases(args.cases)
        report(f"{args.cases} ({len(cases)} articles)", evaluate(cases), show=True)
        timing(cases)
        return
    cases = load_cases(CORPUS)
    development = {fold for fold in range(FOLDS) if fold != HELD_OUT_FOLD}
    held_out = [case for case in cases if case.fold == HELD_OUT_FOLD]
    print(
        f"Corpus: {len(cases)} real articles, {len(held_out)} held out "
        f"(fold {HELD_OUT_FOLD} of {FOLDS}, by a hash of their names)\n"
    )
    held_out_results = evaluate(cases, folds={HELD_OUT_FOLD})
    report(
        f"HELD OUT ({len(held_out)} articles, never tuned on; targets 0.85 / 0.80)",
        held_out_results,
        show=args.show_held_out,
    )
    second_labelling(held_out, held_out_results)
    report(
        f"DEVELOPMENT ({len(cases) - len(held_out)} articles)",
        evaluate(cases, folds=development),
        show=True,
    )
    report("ALL", evaluate(cases), show=False)
    report("The six cases written while the first rules were built", evaluate(OLD_CASES), True)
    timing(cases)
    large_gazetteer()
    timing(cases, "with 1,000 more sites and 20,000 more monuments")
    gazetteer_build()


def second_labelling(held_out: list, results: list) -> None:
    """How far the labels are one reading of the rules: a second annotator's, made blind."""
    from reports.ingest.quality import labellers_agreement, load_second_labelling, score_against

    second = load_second_labelling(SECOND_LABELLING)
    print(f"   a second labelling, made blind ({SECOND_LABELLING.relative_to(ROOT)}):")
    print(f"     its pairs against the corpus's labels  {labellers_agreement(held_out, second)}")
    print(f"     the pipeline's against the second's    {score_against(results, second)}")


def report(heading: str, results: list, show: bool) -> None:
    from reports.ingest.quality import date_agreement, error_kinds, per_damage_type, score

    print(f"== {heading}")
    print(f"   {score(results)}")
    print("   per damage type:")
    for damage_type, type_score in per_damage_type(results).items():
        print(f"     {damage_type:14} {type_score}")
    kinds = error_kinds(results)
    if kinds:
        print("   errors by kind:")
        for kind, count in kinds.most_common():
            print(f"     {count:3}  {kind}")
    dates = date_agreement(results)
    if dates:
        print(f"   dates of right proposals with a labelled date: {dict(dates)}")
    if show:
        for result in results:
            if result.wrong or result.missed:
                print(f"   {result.name}")
                for pair in sorted(result.wrong):
                    print(
                        f"       wrong:  {pair[0]} {pair[1]}  ({result.found[pair].sentence[:90]})"
                    )
                for pair in sorted(result.missed):
                    print(f"       missed: {pair[0]} {pair[1]}")
    print()


def large_gazetteer() -> None:
    """A database the size of the serving benchmark's: 1,000 more sites, 20,000 more monuments,
    each with an alternative name (the gazetteer is read whole for every article)."""
    from sites.models import AlternativeName, HeritageSite, Monument

    sites = HeritageSite.objects.bulk_create(
        HeritageSite(slug=f"bench-{n}", name=f"Bench Site Number {n}", countries=["SY"])
        for n in range(1000)
    )
    monuments = Monument.objects.bulk_create(
        Monument(site=sites[n % 1000], slug=f"bench-{n}", name=f"Bench Monument {n}")
        for n in range(20_000)
    )
    AlternativeName.objects.bulk_create(
        AlternativeName(monument=monument, name=f"Monument Alias {monument.pk}")
        for monument in monuments
    )


def gazetteer_build() -> None:
    """Building the gazetteer of that database (what the first article after a change of names
    pays), as shipped and with the cycle collector left running, best of three each."""
    from reports.ingest.places import Gazetteer

    def best(build) -> float:
        seconds = []
        for _ in range(3):
            started = time.perf_counter()
            build()
            seconds.append(time.perf_counter() - started)
        return min(seconds)

    def collecting() -> None:
        Gazetteer.__new__(Gazetteer)._build()

    shipped, unpaused = best(Gazetteer), best(collecting)
    print(
        f"Building that gazetteer: {shipped * 1000:.0f} ms as shipped (the cycle collector "
        f"paused), {unpaused * 1000:.0f} ms with it running ({unpaused / shipped:.1f}x)"
    )


def timing(cases: list, setting: str = "") -> None:
    """The whole pipeline on each article, in a transaction rolled back after it."""
    from django.db import transaction

    from reports.ingest import ingest_article

    seconds = []
    for case in cases:
        started = time.perf_counter()
        with transaction.atomic():
            ingest_article(
                data=f"{case.title}\n{case.text}",
                published_on=case.published_on,
                url=f"https://example.org/bench/{case.name}",
            )
            transaction.set_rollback(True)
        seconds.append(time.perf_counter() - started)
    print(
        f"Ingesting one article{f' {setting}' if setting else ''} (read, store, find, propose; "
        f"{len(seconds)} articles): "
        f"median {statistics.median(seconds) * 1000:.0f} ms, "
        f"slowest {max(seconds) * 1000:.0f} ms, the first {seconds[0] * 1000:.0f} ms "
        "(target: under 1 s)"
    )


if __name__ == "__main__":
    main()
