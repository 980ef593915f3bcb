"""Words on charts and in reports, in the report's language (Dutch by default, French, English).

One dictionary per language with the same keys; ``label(key, lang)`` looks a word up and
falls back to the key itself only for a missing translation (a test checks none is missing).
"""

from __future__ import annotations

import re

__all__ = [
    "COMPETENCE_WORDS",
    "FIELD_WORDS",
    "LANGUAGES",
    "LOCAL_TIME_ZONE",
    "basis_label",
    "competence_label",
    "decimal",
    "field_label",
    "indicator_label",
    "label",
    "local_time",
    "number",
    "percent",
    "reference_label",
]

LANGUAGES = ("nl", "fr", "en")

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
        # overall decisions (analysis.decisions)
        "overall_decision": "eindbeslissing",
        "decision_pass": "geslaagd",
        "decision_fail": "niet geslaagd",
        "decision_borderline": "grensgeval (hertest aanbevolen)",
        "decision_insufficient": "onvoldoende gegevens",
        "decision_not-judged": "niet beoordeeld",
        "worst_of": "slechtste van {n} pogingen",
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
        "3. hoger gemiddeld percentiel over de beslissende (kwalificatie-)indicatoren; 4. kandidaatnummer (A-Z)",
        "thresholds_title": "Drempels",
        "basis": "grondslag",
        "override_note": "* oordeel aangepast door een assessor",
        "no_data": "geen gegevens",
        "overrides_title": "Oordelen aangepast door een assessor",
        "reason": "reden",
        "assessor": "assessor",
        "unverified": "Let op: bij {n} poging(en) klopt de handtekening niet (gewijzigd na opslag); "
        "controleer met `typingtest verify`.",
        "dual_task_cost": "Kosten van dubbeltaak",
        "baseline_wpm": "basissnelheid (overtypen)",
        "load_wpm": "snelheid onder belasting",
    },
    "fr": {
        "msd_error_rate": "taux d'erreur MSD",
        "uncorrected_error_rate": "erreurs non corrigées",
        "corrected_error_rate": "erreurs corrigées",
        "total_error_rate": "taux d'erreur total",
        "field_error_rate": "taux d'erreur des champs",
        "field_completeness": "complétude des champs",
        "net_wpm": "mots nets par minute",
        "gross_wpm": "mots bruts par minute",
        "wpm": "mots par minute",
        "kspc": "frappes par caractère",
        "pickup_time_s": "délai de décroché (s)",
        "call_handling_time_s": "durée de l'appel (s)",
        "record_find_time_s": "temps pour trouver le dossier (s)",
        "action_score": "score des actions attendues",
        "keystrokes_per_hour": "frappes par heure",
        "speed_cost": "perte de vitesse sous charge",
        "error_cost": "erreurs en plus sous charge",
        "copy-typing": "copie de texte",
        "transcription": "transcription",
        "data-entry": "saisie de données",
        "call": "simulation d'appel",
        "threshold": "seuil",
        "attempts": "essais",
        "candidates": "candidats",
        "count": "nombre",
        "session": "session",
        "date": "date",
        "pass_rate": "taux de réussite",
        "pass_region": "zone de réussite",
        "passed": "réussi",
        "failed": "échoué",
        "undetermined": "non évaluable",
        # overall decisions (analysis.decisions)
        "overall_decision": "décision globale",
        "decision_pass": "réussi",
        "decision_fail": "échoué",
        "decision_borderline": "cas limite (nouveau test recommandé)",
        "decision_insufficient": "données insuffisantes",
        "decision_not-judged": "non évalué",
        "worst_of": "la moins bonne de {n} tentatives",
        "overridden": "modifié par l'évaluateur",
        "competence": "compétence",
        "pass_rates_title": "Taux de réussite par compétence",
        "distribution_title": "Distribution : {indicator}",
        "speed_error_title": "Vitesse et erreurs (copie de texte)",
        "progress_title": "Progression : {indicator}",
        "trend_title": "Évolution par tâche : {indicator}",
        "heatmap_title": "Touches les plus faibles ({layout})",
        "heatmap_colorbar": "erreurs pondérées",
        "missed_fields_title": "Champs les plus manqués",
        "field": "champ",
        "missed_share": "part manquée",
        "applicant_title": "Candidat {candidate}",
        "report_title": "Rapport de cohorte",
        "cohort": "cohorte",
        "all_cohorts": "toutes les cohortes",
        "generated": "créé le",
        "n_candidates": "candidats",
        "n_attempts": "essais",
        "summary": "Résumé",
        "statistics": "Statistiques par tâche et indicateur",
        "applicants": "Candidats",
        "multitask": "Multitâche",
        "candidate": "candidat",
        "task": "tâche",
        "indicator": "indicateur",
        "value": "valeur",
        "verdict": "verdict",
        "percentile": "percentile",
        "rank": "rang",
        "n": "n",
        "mean": "moyenne",
        "sd": "écart-type",
        "median": "médiane",
        "q1": "Q1",
        "q3": "Q3",
        "source": "source",
        "qualification": "qualification",
        "centre": "centre",
        "qualification_passed": "seuils de la qualification atteints",
        "thresholds_passed": "seuils atteints",
        "overall": "total",
        "sort_hint": "Cliquez sur un en-tête de colonne pour trier.",
        "ranking_rule": "Classement",
        "ranking_rule_text": "1. plus de seuils de la qualification atteints ; 2. plus de seuils atteints au total ; "
        "3. percentile moyen plus élevé sur les indicateurs décisifs (de la qualification) ; "
        "4. numéro de candidat (A-Z)",
        "thresholds_title": "Seuils",
        "basis": "fondement",
        "override_note": "* verdict modifié par un évaluateur",
        "no_data": "pas de données",
        "overrides_title": "Verdicts modifiés par un évaluateur",
        "reason": "motif",
        "assessor": "évaluateur",
        "unverified": "Attention : la signature de {n} essai(s) ne correspond pas (modifié après l'enregistrement) ; "
        "vérifiez avec `typingtest verify`.",
        "dual_task_cost": "Coût de la double tâche",
        "baseline_wpm": "vitesse de base (copie de texte)",
        "load_wpm": "vitesse sous charge",
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
        # overall decisions (analysis.decisions)
        "overall_decision": "overall decision",
        "decision_pass": "passed",
        "decision_fail": "failed",
        "decision_borderline": "borderline (retest advised)",
        "decision_insufficient": "insufficient data",
        "decision_not-judged": "not judged",
        "worst_of": "worst of {n} attempts",
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
        "3. mean percentile rank over the deciding (qualification) indicators (higher first); 4. candidate id (A-Z)",
        "thresholds_title": "Thresholds",
        "basis": "basis",
        "override_note": "* verdict overridden by an assessor",
        "no_data": "no data",
        "overrides_title": "Verdicts overridden by an assessor",
        "reason": "reason",
        "assessor": "assessor",
        "unverified": "Warning: {n} attempt(s) fail their signature check (changed after storing); "
        "check with `typingtest verify`.",
        "dual_task_cost": "Dual-task cost",
        "baseline_wpm": "baseline speed (copy typing)",
        "load_wpm": "speed under load",
    },
}


#: Words added for the trainer's progress files and readable documents (issue 16), per language.
_MORE: dict[str, dict[str, str]] = {
    "nl": {
        "battery": "batterij",
        "test_date": "testdatum",
        "battery_change": "andere batterij: {battery}",
        "progress_tasks_title": "Voortgang: {indicator} ({tasks})",
        "session_passed": "sessie geslaagd",
        "session_failed": "sessie niet geslaagd",
        "sessions_title": "Sessies",
        "session_rule": "Een sessie is geslaagd wanneer elk beslissend oordeel van die sessie geslaagd is, over "
        "alle taken: de kwalificatiedrempels (3 % fouten bij elke getypte taak). Centrumdrempels (snelheid) staan "
        "in de grafieken maar beslissen niet.",
        "failed_on": "niet gehaald: {what}",
        "practice_title": "Oefeneffect",
        "practice_warning": "Dezelfde tekst {item} ({task}) kwam terug in de sessies {sessions}: de latere cijfers "
        "kunnen door oefening met die tekst te gunstig zijn.",
        "next_form_fixed": "Batterij {battery} toont bij {task} altijd {item}, dus de volgende sessie krijgt "
        "dezelfde tekst. Kies een tekst die de cursist nog niet typte: {unseen}.",
        "next_form_none": "Batterij {battery} toont bij {task} altijd {item} en er is geen ongeziene tekst van deze "
        "soort meer: laat een nieuwe tekst opstellen (typingtest content check) of beoordeel de volgende sessie "
        "tegen de eerste keer met deze tekst, niet tegen de vorige.",
        "next_form_other": "Batterij {battery} toont bij {task} voortaan {next}: de volgende sessie krijgt een "
        "andere tekst.",
        "next_form_unknown": "Batterij {battery} is hier niet bekend: kies voor de volgende sessie een tekst die "
        "de cursist nog niet typte: {unseen}.",
        "no_repeats": "Geen tekst kwam in twee sessies terug.",
        "key_rates_title": "Zwakste toetsen per keer getypt ({layout})",
        "key_rates_colorbar": "fouten per keer getypt (%)",
        "bigrams_title": "Zwakste lettercombinaties (fouten per keer)",
        "error_rate_per_occurrence": "fouten per keer getypt (%)",
        "occurrences": "keer",
        "errors": "fouten",
        "prior_note": "Fouten per keer, getrokken naar het eigen foutpercentage van de cursist ({overall}): "
        "(fouten + {m} x {overall}) / (keer + {m}); alleen tekens die minstens {min} keer getypt zijn.",
        "no_occurrences": "Geen aantallen per toets opgeslagen: gerangschikt op aantal fouten.",
        "empty": "leeg",
        "wrong": "fout",
        "override_by": "door {assessor}, {at}",
        "local_time": "Brusselse tijd",
        "weakest_keys_heading": "Zwakste toetsen (fouten per keer getypt)",
        "basis_msd_error_rate": "Contactcenteroperator 2016: foutloos typen binnen een foutenmarge van 3 % (fouten die in de eindtekst blijven, MSD-foutpercentage)",  # noqa: E501
        "basis_field_error_rate": "Contactcenteroperator 2016: verzamelde gegevens in het juiste veld invoeren; typen binnen 3 % (MSD-foutpercentage over de getypte velden)",  # noqa: E501
        "basis_field_completeness": "Contactcenteroperator 2016: alle verzamelde gegevens volledig invoeren (aandeel verplichte velden ingevuld)",  # noqa: E501
        "basis_net_wpm": "standaard van het centrum: 30 netto woorden per minuut bij overtypen; de kwalificatie noemt geen snelheid",  # noqa: E501
        "basis_pickup_time_s": "standaard van het centrum: opnemen binnen drie beltonen (Belgisch belritme 1 s aan, 3 s uit)",  # noqa: E501
        "basis_call_handling_time_s": "standaard van het centrum: een gesprek afgehandeld, verslag inbegrepen, binnen 7 minuten",  # noqa: E501
        "basis_record_find_time_s": "standaard van het centrum: het dossier van de beller geopend binnen 30 s nadat de beller de gegevens gaf",  # noqa: E501
        "basis_action_score": "standaard van het centrum: minstens 80 % van de verwachte handelingen van een gesprek juist uitgevoerd",  # noqa: E501
        "tasks_header": "taak",
    },
    "fr": {
        "battery": "batterie",
        "test_date": "date du test",
        "battery_change": "autre batterie : {battery}",
        "progress_tasks_title": "Progression : {indicator} ({tasks})",
        "session_passed": "session réussie",
        "session_failed": "session échouée",
        "sessions_title": "Sessions",
        "session_rule": "Une session est réussie quand chaque verdict décisif de cette session est réussi, sur "
        "toutes les tâches : les seuils de la qualification (3 % d'erreurs à chaque tâche tapée). Les seuils du "
        "centre (vitesse) figurent dans les graphiques mais ne décident pas.",
        "failed_on": "non atteint : {what}",
        "practice_title": "Effet d'entraînement",
        "practice_warning": "Le même texte {item} ({task}) est revenu aux sessions {sessions} : les résultats "
        "suivants peuvent être flattés par l'entraînement sur ce texte.",
        "next_form_fixed": "La batterie {battery} présente toujours {item} pour {task} : la prochaine session "
        "reprendra le même texte. Choisissez un texte que le stagiaire n'a pas encore tapé : {unseen}.",
        "next_form_none": "La batterie {battery} présente toujours {item} pour {task} et il ne reste aucun texte "
        "de ce type non vu : faites rédiger un nouveau texte (typingtest content check) ou comparez la prochaine "
        "session à la première fois avec ce texte, non à la précédente.",
        "next_form_other": "La batterie {battery} présente désormais {next} pour {task} : la prochaine session "
        "aura un autre texte.",
        "next_form_unknown": "La batterie {battery} n'est pas connue ici : choisissez pour la prochaine session un "
        "texte que le stagiaire n'a pas encore tapé : {unseen}.",
        "no_repeats": "Aucun texte n'est revenu dans deux sessions.",
        "key_rates_title": "Touches les plus faibles par frappe ({layout})",
        "key_rates_colorbar": "erreurs par frappe (%)",
        "bigrams_title": "Combinaisons de lettres les plus faibles (erreurs par occurrence)",
        "error_rate_per_occurrence": "erreurs par occurrence (%)",
        "occurrences": "occurrences",
        "errors": "erreurs",
        "prior_note": "Erreurs par occurrence, ramenées vers le taux d'erreur propre du stagiaire ({overall}) : "
        "(erreurs + {m} x {overall}) / (occurrences + {m}) ; seulement les caractères tapés au moins {min} fois.",
        "no_occurrences": "Aucun nombre de frappes par touche enregistré : classé par nombre d'erreurs.",
        "empty": "vide",
        "wrong": "erroné",
        "override_by": "par {assessor}, {at}",
        "local_time": "heure de Bruxelles",
        "weakest_keys_heading": "Touches les plus faibles (erreurs par frappe)",
        "basis_msd_error_rate": "Contactcenteroperator 2016 : taper sans erreurs dans une marge de 3 % (erreurs restant dans le texte final, taux d'erreur MSD)",  # noqa: E501
        "basis_field_error_rate": "Contactcenteroperator 2016 : saisir les données recueillies dans le bon champ ; taper avec moins de 3 % d'erreurs (taux MSD sur les champs tapés)",  # noqa: E501
        "basis_field_completeness": "Contactcenteroperator 2016 : saisir complètement toutes les données recueillies (part des champs obligatoires remplis)",  # noqa: E501
        "basis_net_wpm": "valeur par défaut du centre : 30 mots nets par minute en copie de texte ; la qualification ne fixe pas de vitesse",  # noqa: E501
        "basis_pickup_time_s": "valeur par défaut du centre : décrocher en trois sonneries (cadence belge 1 s de sonnerie, 3 s de pause)",  # noqa: E501
        "basis_call_handling_time_s": "valeur par défaut du centre : un appel traité, compte rendu compris, en 7 minutes",  # noqa: E501
        "basis_record_find_time_s": "valeur par défaut du centre : le dossier de l'appelant ouvert dans les 30 s après que l'appelant a donné les données",  # noqa: E501
        "basis_action_score": "valeur par défaut du centre : au moins 80 % des actions attendues d'un appel faites correctement",  # noqa: E501
        "tasks_header": "tâche",
    },
    "en": {
        "battery": "battery",
        "test_date": "test date",
        "battery_change": "battery changed: {battery}",
        "progress_tasks_title": "Progress: {indicator} ({tasks})",
        "session_passed": "session passed",
        "session_failed": "session failed",
        "sessions_title": "Sessions",
        "session_rule": "A session passed when every deciding verdict of that session passed, over every task: "
        "the qualification's thresholds (3 % errors on every typed task). Centre thresholds (speed) are drawn "
        "in the charts but do not decide.",
        "failed_on": "not met: {what}",
        "practice_title": "Practice effect",
        "practice_warning": "The same passage {item} ({task}) came back in sessions {sessions}: later figures may "
        "be flattered by practice on that passage.",
        "next_form_fixed": "Battery {battery} always presents {item} for {task}, so the next session draws the "
        "same passage. Choose one the trainee has not typed yet: {unseen}.",
        "next_form_none": "Battery {battery} always presents {item} for {task} and no unseen passage of this kind "
        "is left: have a new passage written (typingtest content check), or judge the next session against the "
        "first time with this passage, not the previous one.",
        "next_form_other": "Battery {battery} now presents {next} for {task}: the next session draws another "
        "passage.",
        "next_form_unknown": "Battery {battery} is not known here: for the next session choose a passage the "
        "trainee has not typed yet: {unseen}.",
        "no_repeats": "No passage came back in two sessions.",
        "key_rates_title": "Weakest keys per keystroke ({layout})",
        "key_rates_colorbar": "errors per keystroke (%)",
        "bigrams_title": "Weakest letter pairs (errors per occurrence)",
        "error_rate_per_occurrence": "errors per occurrence (%)",
        "occurrences": "occurrences",
        "errors": "errors",
        "prior_note": "Errors per occurrence, shrunk towards the trainee's own error rate ({overall}): "
        "(errors + {m} x {overall}) / (occurrences + {m}); only characters typed at least {min} times.",
        "no_occurrences": "No counts per key stored: ordered by the number of errors.",
        "empty": "empty",
        "wrong": "wrong",
        "override_by": "by {assessor}, {at}",
        "local_time": "Brussels time",
        "weakest_keys_heading": "Weakest keys (errors per keystroke)",
        "basis_msd_error_rate": "Contactcenteroperator 2016: types without errors within an error margin of 3 % (errors left in the final text, MSD error rate)",  # noqa: E501
        "basis_field_error_rate": "Contactcenteroperator 2016: enters gathered data in the right field; types within 3 % (MSD error rate over a form's typed fields)",  # noqa: E501
        "basis_field_completeness": "Contactcenteroperator 2016: enters all gathered data completely (share of required fields filled)",  # noqa: E501
        "basis_net_wpm": "centre default: 30 net words per minute in copy typing; the qualification gives no speed",
        "basis_pickup_time_s": "centre default: pick up within three rings (Belgian ring cadence 1 s on, 3 s off)",
        "basis_call_handling_time_s": "centre default: a call handled, wrap-up included, within 7 minutes",
        "basis_record_find_time_s": "centre default: the caller's record opened within 30 s of the caller giving the data to find it",  # noqa: E501
        "basis_action_score": "centre default: at least 80 % of a call's expected actions done correctly",
        "tasks_header": "task",
    },
}
for _lang, _words in _MORE.items():
    _LABELS[_lang].update(_words)

#: Words of the report's reliability section (``analysis.reliability.cohort_reliability``).
_RELIABILITY: dict[str, dict[str, str]] = {
    "nl": {
        "reliability_title": "Betrouwbaarheid van de meting",
        "reliability_text": "Elke poging is in stukken van ongeveer {chars} tekens geknipt; de oneven en de even "
        "stukken zijn twee halve tests. Split-half-betrouwbaarheid: Spearman-Brown over de correlatie van de "
        "helften; SEM: standaardmeetfout in de eenheid van de indicator; zelfde beslissing: het aandeel "
        "kandidaten van wie beide helften aan dezelfde kant van de drempel liggen (een halve test: de hele test "
        "is consistenter).",
        "reliability_too_few": "{task}: te weinig pogingen ({n}) om de betrouwbaarheid te schatten; minstens "
        "{least} nodig.",
        "reliability_unavailable": "Niet berekend: de betrouwbaarheid vraagt de toetsaanslagen van elke poging "
        "(uit de database; niet uit een CSV-bestand).",
        "reliability_none": "Geen getypte pogingen (overtypen, transcriptie) om te splitsen.",
        "subjects": "pogingen",
        "chars_each": "tekens per poging",
        "split_half": "split-half",
        "sem": "SEM",
        "same_decision": "zelfde beslissing",
        "kappa": "kappa",
    },
    "fr": {
        "reliability_title": "Fidélité de la mesure",
        "reliability_text": "Chaque essai est coupé en segments d'environ {chars} caractères ; les segments impairs "
        "et pairs forment deux demi-tests. Fidélité split-half : Spearman-Brown sur la corrélation des moitiés ; "
        "SEM : erreur type de mesure, dans l'unité de l'indicateur ; même décision : la part des candidats dont "
        "les deux moitiés sont du même côté du seuil (un demi-test : le test entier est plus constant).",
        "reliability_too_few": "{task} : trop peu d'essais ({n}) pour estimer la fidélité ; il en faut au moins "
        "{least}.",
        "reliability_unavailable": "Non calculée : la fidélité demande les frappes de chaque essai (de la base de "
        "données ; pas d'un fichier CSV).",
        "reliability_none": "Aucun essai tapé (copie de texte, transcription) à couper.",
        "subjects": "essais",
        "chars_each": "caractères par essai",
        "split_half": "split-half",
        "sem": "SEM",
        "same_decision": "même décision",
        "kappa": "kappa",
    },
    "en": {
        "reliability_title": "Reliability of the measurement",
        "reliability_text": "Each attempt is cut into segments of about {chars} characters; the odd and the even "
        "segments are two half tests. Split-half reliability: Spearman-Brown over the correlation of the halves; "
        "SEM: standard error of measurement, in the indicator's unit; same decision: the share of candidates "
        "whose two halves fall on the same side of the threshold (half a test: the whole test is more "
        "consistent).",
        "reliability_too_few": "{task}: too few attempts ({n}) to estimate reliability; at least {least} needed.",
        "reliability_unavailable": "Not computed: reliability needs each attempt's key presses (from the "
        "database; not from a CSV file).",
        "reliability_none": "No typed attempts (copy typing, transcription) to split.",
        "subjects": "attempts",
        "chars_each": "characters per attempt",
        "split_half": "split-half",
        "sem": "SEM",
        "same_decision": "same decision",
        "kappa": "kappa",
    },
}
for _lang, _words in _RELIABILITY.items():
    _LABELS[_lang].update(_words)

#: Data fields in words (the names the engine scores them under), per language.
FIELD_WORDS: dict[str, dict[str, str]] = {
    "nl": {"name": "naam", "first_name": "voornaam", "last_name": "familienaam", "street": "straat en huisnummer",
           "postcode": "postcode", "municipality": "gemeente", "city": "gemeente", "phone": "telefoon",
           "email": "e-mailadres", "customer_number": "klantnummer", "order": "bestelling",
           "order_code": "bestelcode", "order_qty": "aantal", "order_number": "bestelnummer",
           "wrapup": "gespreksverslag", "birth_date": "geboortedatum", "company": "bedrijf",
           "contact_name": "contactpersoon", "appointment_date": "datum afspraak", "appointment_time": "uur afspraak",
           "move_date": "verhuisdatum", "serial_number": "serienummer", "vat_number": "btw-nummer",
           "product": "product", "product_code": "productcode", "problem": "probleem",
           "install_date": "installatiedatum", "install_time": "installatie-uur", "frame_number": "framenummer",
           "country": "land", "callback_phone": "terugbelnummer", "callback_note": "notitie terugbellen",
           "advance_start": "start voorschot", "new_advance": "nieuw voorschot",
           "complaint_invoice": "factuur klacht", "complaint_intervention": "interventie klacht",
           "complaint_amount": "bedrag klacht"},
    "fr": {"name": "nom", "first_name": "prénom", "last_name": "nom de famille", "street": "rue et numéro",
           "postcode": "code postal", "municipality": "commune", "city": "commune", "phone": "téléphone",
           "email": "adresse e-mail", "customer_number": "numéro de client", "order": "commande",
           "order_code": "code de commande", "order_qty": "quantité", "order_number": "numéro de commande",
           "wrapup": "compte rendu de l'appel", "birth_date": "date de naissance", "company": "entreprise",
           "contact_name": "personne de contact", "appointment_date": "date du rendez-vous",
           "appointment_time": "heure du rendez-vous", "move_date": "date du déménagement",
           "serial_number": "numéro de série", "vat_number": "numéro de TVA", "product": "produit",
           "product_code": "code produit", "problem": "problème", "install_date": "date d'installation",
           "install_time": "heure d'installation", "frame_number": "numéro de cadre", "country": "pays",
           "callback_phone": "numéro de rappel", "callback_note": "note de rappel",
           "advance_start": "début de l'acompte", "new_advance": "nouvel acompte",
           "complaint_invoice": "facture de la plainte", "complaint_intervention": "intervention de la plainte",
           "complaint_amount": "montant de la plainte"},
    "en": {"name": "name", "first_name": "first name", "last_name": "last name", "street": "street and number",
           "postcode": "postcode", "municipality": "municipality", "city": "city", "phone": "phone",
           "email": "e-mail address", "customer_number": "customer number", "order": "order",
           "order_code": "order code", "order_qty": "quantity", "order_number": "order number",
           "wrapup": "call wrap-up note", "birth_date": "date of birth", "company": "company",
           "contact_name": "contact person", "appointment_date": "appointment date",
           "appointment_time": "appointment time", "move_date": "moving date", "serial_number": "serial number",
           "vat_number": "VAT number", "product": "product", "product_code": "product code", "problem": "problem",
           "install_date": "installation date", "install_time": "installation time", "frame_number": "frame number",
           "country": "country", "callback_phone": "call-back number", "callback_note": "call-back note",
           "advance_start": "advance start", "new_advance": "new advance", "complaint_invoice": "complaint invoice",
           "complaint_intervention": "complaint intervention", "complaint_amount": "complaint amount"},
}

#: The qualification's competence codes in words (docs: ../shared/qualification/README.md), per language.
COMPETENCE_WORDS: dict[str, dict[str, str]] = {
    "nl": {"D140801 Id17425": "identiteit en gegevens van de beller nagaan, het juiste dossier vinden",
           "D140801 Id16700": "het doel van het gesprek bepalen, het script volgen",
           "D140801 Id17255": "de klant informeren met de informatiebronnen, vertrouwelijkheid bewaren",
           "D140801 Id17852": "beschikbaarheid nagaan, bestelling invoeren, contact registreren",
           "D140801 Id16426": "de klant doorverbinden met de juiste persoon",
           "D140801 Id234": "klanten contacteren, terugbellen plannen",
           "D140801 Id17267": "opvolgdocumenten invullen, typen binnen 3 % fouten",
           "co 01669": "simultaan handelen: luisteren, typen en het scherm volgen",
           "co 01670": "gegevens volledig in het juiste veld invoeren, binnen 3 % fouten",
           "co 01671": "communicatietechnieken, afsluiten volgens het script"},
    "fr": {"D140801 Id17425": "vérifier l'identité et les données de l'appelant, trouver le bon dossier",
           "D140801 Id16700": "déterminer l'objet de l'appel, suivre le script",
           "D140801 Id17255": "informer le client avec les sources d'information, préserver la confidentialité",
           "D140801 Id17852": "vérifier la disponibilité, saisir la commande, enregistrer le contact",
           "D140801 Id16426": "transférer le client vers la bonne personne",
           "D140801 Id234": "contacter des clients, planifier un rappel",
           "D140801 Id17267": "remplir les documents de suivi, taper avec moins de 3 % d'erreurs",
           "co 01669": "agir simultanément : écouter, taper et suivre l'écran",
           "co 01670": "saisir toutes les données dans le bon champ, avec moins de 3 % d'erreurs",
           "co 01671": "techniques de communication, clôturer selon le script"},
    "en": {"D140801 Id17425": "check the caller's identity and data, find the right record",
           "D140801 Id16700": "identify the purpose of the call, follow the script",
           "D140801 Id17255": "inform the customer from the sources provided, keep confidentiality",
           "D140801 Id17852": "check availability, enter the order, register the contact",
           "D140801 Id16426": "transfer the customer to the right person",
           "D140801 Id234": "contact customers, schedule a call-back",
           "D140801 Id17267": "fill in the follow-up documents, type within 3 % errors",
           "co 01669": "act simultaneously: listen, type and follow the screen",
           "co 01670": "enter all data completely in the right field, within 3 % errors",
           "co 01671": "communication techniques, close per the script"},
}

#: The time zone of Dutch and French outputs (the centres are in Belgium); English outputs stay in UTC.
LOCAL_TIME_ZONE = "Europe/Brussels"


def label(key: str, lang: str = "nl", **fields: object) -> str:
    """The word for ``key`` in ``lang`` with ``{fields}`` filled in."""
    table = _LABELS.get(lang, _LABELS["nl"])
    text = table.get(key, key)
    return text.format(**fields) if fields else text


def indicator_label(indicator: str, lang: str = "nl") -> str:
    """An indicator's name on screen (falls back to the field name)."""
    return label(indicator, lang)


def percent(value: float | None, digits: int = 1, lang: str | None = None) -> str:
    """A fraction shown as percent ("3.0 %"; "3,0 %" in Dutch and French); "–" when undefined."""
    if value is None or value != value:  # None or NaN
        return "–"
    return decimal(f"{100 * value:.{digits}f} %", lang)


def number(value: float | None, digits: int = 1, lang: str | None = None) -> str:
    """A number with ``digits`` decimals, a decimal comma in Dutch and French; "–" when undefined."""
    if value is None or value != value:
        return "–"
    return decimal(f"{value:.{digits}f}", lang)


def decimal(text: str, lang: str | None) -> str:
    """``text`` with the decimal point of each number written as a comma in Dutch and French."""
    if lang not in ("nl", "fr"):
        return text
    return re.sub(r"(?<=\d)\.(?=\d)", ",", text)


def local_time(value: object, lang: str = "nl", *, seconds: bool = False, date_only: bool = False) -> str:
    """A time as readers of ``lang`` expect it: Brussels local time, day first, in Dutch and French
    ("03-12-2026 15:20" / "03/12/2026 15:20"); UTC, ISO order, "UTC" appended in English.
    A naive time is taken as UTC; "–" when undefined."""
    import pandas as pd

    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return "–"
    ts = pd.Timestamp(value)  # type: ignore[arg-type]
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts
    clock = "%H:%M:%S" if seconds else "%H:%M"
    if lang in ("nl", "fr"):
        day = "%d-%m-%Y" if lang == "nl" else "%d/%m/%Y"
        return ts.tz_convert(LOCAL_TIME_ZONE).strftime(day if date_only else f"{day} {clock}")
    return ts.tz_convert("UTC").strftime("%Y-%m-%d" if date_only else f"%Y-%m-%d {clock} UTC")


def reference_label(reference: object, lang: str = "nl") -> str:
    """A percentile's reference group in ``lang``: the word "cohort" that the tables write
    before a cohort's name (``percentile_reference`` "cohort 2026-A") in the reader's
    language ("cohorte 2026-A"); a norm group's own name as it is."""
    text = str(reference)
    if text.startswith("cohort "):
        return f"{label('cohort', lang)} {text.removeprefix('cohort ')}"
    return text


def field_label(name: str, lang: str = "nl") -> str:
    """A data field's name in words ("customer_number" -> "klantnummer"; "order_code_2" -> "bestelcode 2")."""
    words = FIELD_WORDS.get(lang, FIELD_WORDS["nl"])
    if name in words:
        return words[name]
    base, _, row = name.rpartition("_")
    if base in words and row.isdigit():
        return f"{words[base]} {row}"
    return name.replace("_", " ").replace("-", " ")


def basis_label(indicator: str, basis: str, lang: str = "nl") -> str:
    """A threshold's basis in ``lang``: the translation of the shipped text, else the centre's own text."""
    key = f"basis_{indicator}"
    shipped = _LABELS["en"].get(key)
    if basis and shipped is not None and basis.strip() == shipped:
        return label(key, lang)
    return basis


def competence_label(code: str, lang: str = "nl") -> str:
    """A competence code with its words ("co 01670 – gegevens volledig ..."); the code alone when unknown."""
    words = COMPETENCE_WORDS.get(lang, COMPETENCE_WORDS["nl"]).get(str(code))
    return f"{code} – {words}" if words else str(code)
