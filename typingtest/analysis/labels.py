"""Words on charts and in reports, in the report's language (Dutch by default, English).

One dictionary per language with the same keys; ``label(key, lang)`` looks a word up and
falls back to the key itself only for a missing translation (a test checks none is missing).
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "indicator_label", "label", "percent"]

LANGUAGES = ("nl", "en")

_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        # indicators
        "msd_error_rate": "MSD-foutpercentage",
        "uncorrected_error_rate": "niet-verbeterde fouten",
        "corrected_error_rate": "verbeterde fouten",
        "total_error_rate": "totaal foutpercentage",
        "field_error_rate": "foutpercentage velden",
        "field_completeness": "volledigheid velden",
        "net_wpm": "netto woorden per minuut",
        "gross_wpm": "bruto woorden per minuut",
        "wpm": "woorden per minuut",
        "kspc": "toetsaanslagen per teken",
        "pickup_time_s": "opnametijd (s)",
        "call_handling_time_s": "gespreksduur (s)",
        "record_find_time_s": "tijd om dossier te vinden (s)",
        "action_score": "score verwachte handelingen",
        "keystrokes_per_hour": "aanslagen per uur",
        "speed_cost": "snelheidsverlies onder belasting",
        "error_cost": "extra fouten onder belasting",
        # tasks
        "copy-typing": "overtypen",
        "transcription": "transcriptie",
        "data-entry": "gegevensinvoer",
        "call": "gesprekssimulatie",
        # chart words
        "threshold": "drempel",
        "attempts": "pogingen",
        "candidates": "kandidaten",
        "count": "aantal",
        "session": "sessie",
        "date": "datum",
        "pass_rate": "slaagpercentage",
        "pass_region": "geslaagd-gebied",
        "passed": "geslaagd",
        "failed": "niet geslaagd",
        "undetermined": "niet te beoordelen",
        "overridden": "aangepast door assessor",
        "competence": "competentie",
        "pass_rates_title": "Slaagpercentage per competentie",
        "distribution_title": "Verdeling: {indicator}",
        "speed_error_title": "Snelheid tegenover fouten (overtypen)",
        "progress_title": "Voortgang: {indicator}",
        "trend_title": "Verloop per taak: {indicator}",
        "heatmap_title": "Zwakste toetsen ({layout})",
        "heatmap_colorbar": "gewogen fouten",
        "missed_fields_title": "Meest gemiste velden",
        "field": "veld",
        "missed_share": "aandeel gemist",
        "applicant_title": "Kandidaat {candidate}",
        # report words
        "report_title": "Cohortrapport",
        "cohort": "cohort",
        "all_cohorts": "alle cohorten",
        "generated": "aangemaakt",
        "n_candidates": "kandidaten",
        "n_attempts": "pogingen",
        "summary": "Samenvatting",
        "statistics": "Statistieken per taak en indicator",
        "applicants": "Kandidaten",
        "multitask": "Multitasking",
        "candidate": "kandidaat",
        "task": "taak",
        "indicator": "indicator",
        "value": "waarde",
        "verdict": "oordeel",
        "percentile": "percentiel",
        "rank": "rang",
        "n": "n",
        "mean": "gemiddelde",
        "sd": "SD",
        "median": "mediaan",
        "q1": "Q1",
        "q3": "Q3",
        "source": "bron",
        "qualification": "kwalificatie",
        "centre": "centrum",
        "qualification_passed": "kwalificatiedrempels gehaald",
        "thresholds_passed": "drempels gehaald",
        "overall": "totaal",
        "sort_hint": "Klik op een kolomkop om te sorteren.",
        "ranking_rule": "Rangschikking",
        "ranking_rule_text": "1. meer kwalificatiedrempels gehaald; 2. meer drempels gehaald in totaal; "
        "3. hoger gemiddeld percentiel over de beoordeelde indicatoren; 4. kandidaatnummer (A-Z)",
        "thresholds_title": "Drempels",
        "basis": "grondslag",
        "override_note": "* oordeel aangepast door een assessor",
        "no_data": "geen gegevens",
        "unverified": "Let op: bij {n} poging(en) klopt de handtekening niet (gewijzigd na opslag); "
        "controleer met `typingtest verify`.",
        "dual_task_cost": "Kosten van dubbeltaak",
        "baseline_wpm": "basissnelheid (overtypen)",
        "load_wpm": "snelheid onder belasting",
    },
    "en": {
        "msd_error_rate": "MSD error rate",
        "uncorrected_error_rate": "uncorrected error rate",
        "corrected_error_rate": "corrected error rate",
        "total_error_rate": "total error rate",
        "field_error_rate": "field error rate",
        "field_completeness": "field completeness",
        "net_wpm": "net words per minute",
        "gross_wpm": "gross words per minute",
        "wpm": "words per minute",
        "kspc": "keystrokes per character",
        "pickup_time_s": "pick-up time (s)",
        "call_handling_time_s": "call handling time (s)",
        "record_find_time_s": "time to find the record (s)",
        "action_score": "expected-action score",
        "keystrokes_per_hour": "keystrokes per hour",
        "speed_cost": "speed cost under load",
        "error_cost": "extra errors under load",
        "copy-typing": "copy typing",
        "transcription": "transcription",
        "data-entry": "data entry",
        "call": "call simulation",
        "threshold": "threshold",
        "attempts": "attempts",
        "candidates": "candidates",
        "count": "count",
        "session": "session",
        "date": "date",
        "pass_rate": "pass rate",
        "pass_region": "pass region",
        "passed": "passed",
        "failed": "failed",
        "undetermined": "undetermined",
        "overridden": "overridden by assessor",
        "competence": "competence",
        "pass_rates_title": "Pass rate per competence",
        "distribution_title": "Distribution: {indicator}",
        "speed_error_title": "Speed against errors (copy typing)",
        "progress_title": "Progress: {indicator}",
        "trend_title": "Trend per task: {indicator}",
        "heatmap_title": "Weakest keys ({layout})",
        "heatmap_colorbar": "weighted errors",
        "missed_fields_title": "Most-missed fields",
        "field": "field",
        "missed_share": "share missed",
        "applicant_title": "Applicant {candidate}",
        "report_title": "Cohort report",
        "cohort": "cohort",
        "all_cohorts": "all cohorts",
        "generated": "generated",
        "n_candidates": "candidates",
        "n_attempts": "attempts",
        "summary": "Summary",
        "statistics": "Statistics per task and indicator",
        "applicants": "Applicants",
        "multitask": "Multitasking",
        "candidate": "candidate",
        "task": "task",
        "indicator": "indicator",
        "value": "value",
        "verdict": "verdict",
        "percentile": "percentile",
        "rank": "rank",
        "n": "n",
        "mean": "mean",
        "sd": "SD",
        "median": "median",
        "q1": "Q1",
        "q3": "Q3",
        "source": "source",
        "qualification": "qualification",
        "centre": "centre",
        "qualification_passed": "qualification thresholds met",
        "thresholds_passed": "thresholds met",
        "overall": "overall",
        "sort_hint": "Click a column heading to sort.",
        "ranking_rule": "Ranking",
        "ranking_rule_text": "1. qualification thresholds met (more first); 2. all thresholds met (more first); "
        "3. mean percentile rank over judged indicators (higher first); 4. candidate id (A-Z)",
        "thresholds_title": "Thresholds",
        "basis": "basis",
        "override_note": "* verdict overridden by an assessor",
        "no_data": "no data",
        "unverified": "Warning: {n} attempt(s) fail their signature check (changed after storing); "
        "check with `typingtest verify`.",
        "dual_task_cost": "Dual-task cost",
        "baseline_wpm": "baseline speed (copy typing)",
        "load_wpm": "speed under load",
    },
}


def label(key: str, lang: str = "nl", **fields: object) -> str:
    """The word for ``key`` in ``lang`` with ``{fields}`` filled in."""
    table = _LABELS.get(lang, _LABELS["nl"])
    text = table.get(key, key)
    return text.format(**fields) if fields else text


def indicator_label(indicator: str, lang: str = "nl") -> str:
    """An indicator's name on screen (falls back to the field name)."""
    return label(indicator, lang)


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction shown as percent ("3.0 %"); "–" when undefined."""
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{100 * value:.{digits}f} %"
