"""Words on charts, in reports and readable documents, in Dutch (default), French and English.

Tables of the one shape of ``typingtest.texts`` (key -> {language: text}): ``LABELS`` (the words
of charts, reports and progress files, the indicators' names under their ``label_key`` in
``typingtest.vocabulary``), ``FIELDS`` (data fields by the name the engine scores them under) and
``COMPETENCES`` (the qualification's competence codes). Read through ``analysis.labels``.
"""

from __future__ import annotations

from typingtest.texts import Table

__all__ = ["COMPETENCES", "FIELDS", "LABELS"]

#: Words of charts and reports: key -> {language: text}.
LABELS: Table = {
    # indicators
    "msd_error_rate": {"nl": "MSD-foutpercentage", "fr": "taux d'erreur MSD", "en": "MSD error rate"},
    "uncorrected_error_rate": {
        "nl": "niet-verbeterde fouten",
        "fr": "erreurs non corrigées",
        "en": "uncorrected error rate",
    },
    "corrected_error_rate": {"nl": "verbeterde fouten", "fr": "erreurs corrigées", "en": "corrected error rate"},
    "total_error_rate": {"nl": "totaal foutpercentage", "fr": "taux d'erreur total", "en": "total error rate"},
    "field_error_rate": {"nl": "foutpercentage velden", "fr": "taux d'erreur des champs", "en": "field error rate"},
    "field_completeness": {"nl": "volledigheid velden", "fr": "complétude des champs", "en": "field completeness"},
    "net_wpm": {"nl": "netto woorden per minuut", "fr": "mots nets par minute", "en": "net words per minute"},
    "gross_wpm": {"nl": "bruto woorden per minuut", "fr": "mots bruts par minute", "en": "gross words per minute"},
    "wpm": {"nl": "woorden per minuut", "fr": "mots par minute", "en": "words per minute"},
    "kspc": {"nl": "toetsaanslagen per teken", "fr": "frappes par caractère", "en": "keystrokes per character"},
    "pickup_time_s": {"nl": "opnametijd (s)", "fr": "délai de décroché (s)", "en": "pick-up time (s)"},
    "call_handling_time_s": {"nl": "gespreksduur (s)", "fr": "durée de l'appel (s)", "en": "call handling time (s)"},
    "record_find_time_s": {
        "nl": "tijd om dossier te vinden (s)",
        "fr": "temps pour trouver le dossier (s)",
        "en": "time to find the record (s)",
    },
    "action_score": {
        "nl": "score verwachte handelingen",
        "fr": "score des actions attendues",
        "en": "expected-action score",
    },
    "keystrokes_per_hour": {"nl": "aanslagen per uur", "fr": "frappes par heure", "en": "keystrokes per hour"},
    "speed_cost": {
        "nl": "snelheidsverlies onder belasting",
        "fr": "perte de vitesse sous charge",
        "en": "speed cost under load",
    },
    "error_cost": {
        "nl": "extra fouten onder belasting",
        "fr": "erreurs en plus sous charge",
        "en": "extra errors under load",
    },
    # tasks
    "copy-typing": {"nl": "overtypen", "fr": "copie de texte", "en": "copy typing"},
    "transcription": {"nl": "transcriptie", "fr": "transcription", "en": "transcription"},
    "data-entry": {"nl": "gegevensinvoer", "fr": "saisie de données", "en": "data entry"},
    "call": {"nl": "gesprekssimulatie", "fr": "simulation d'appel", "en": "call simulation"},
    # chart words
    "threshold": {"nl": "drempel", "fr": "seuil", "en": "threshold"},
    "attempts": {"nl": "pogingen", "fr": "essais", "en": "attempts"},
    "candidates": {"nl": "kandidaten", "fr": "candidats", "en": "candidates"},
    "count": {"nl": "aantal", "fr": "nombre", "en": "count"},
    "session": {"nl": "sessie", "fr": "session", "en": "session"},
    "date": {"nl": "datum", "fr": "date", "en": "date"},
    "pass_rate": {"nl": "slaagpercentage", "fr": "taux de réussite", "en": "pass rate"},
    "pass_region": {"nl": "geslaagd-gebied", "fr": "zone de réussite", "en": "pass region"},
    "passed": {"nl": "geslaagd", "fr": "réussi", "en": "passed"},
    "failed": {"nl": "niet geslaagd", "fr": "échoué", "en": "failed"},
    "undetermined": {"nl": "niet te beoordelen", "fr": "non évaluable", "en": "undetermined"},
    # overall decisions (analysis.decisions)
    "overall_decision": {"nl": "eindbeslissing", "fr": "décision globale", "en": "overall decision"},
    "decision_pass": {"nl": "geslaagd", "fr": "réussi", "en": "passed"},
    "decision_fail": {"nl": "niet geslaagd", "fr": "échoué", "en": "failed"},
    "decision_borderline": {
        "nl": "grensgeval (hertest aanbevolen)",
        "fr": "cas limite (nouveau test recommandé)",
        "en": "borderline (retest advised)",
    },
    "decision_insufficient": {"nl": "onvoldoende gegevens", "fr": "données insuffisantes", "en": "insufficient data"},
    "decision_not-judged": {"nl": "niet beoordeeld", "fr": "non évalué", "en": "not judged"},
    "worst_of": {
        "nl": "slechtste van {n} pogingen",
        "fr": "la moins bonne de {n} tentatives",
        "en": "worst of {n} attempts",
    },
    "overridden": {"nl": "aangepast door assessor", "fr": "modifié par l'évaluateur", "en": "overridden by assessor"},
    "competence": {"nl": "competentie", "fr": "compétence", "en": "competence"},
    "pass_rates_title": {
        "nl": "Slaagpercentage per competentie",
        "fr": "Taux de réussite par compétence",
        "en": "Pass rate per competence",
    },
    "distribution_title": {
        "nl": "Verdeling: {indicator}",
        "fr": "Distribution : {indicator}",
        "en": "Distribution: {indicator}",
    },
    "speed_error_title": {
        "nl": "Snelheid tegenover fouten (overtypen)",
        "fr": "Vitesse et erreurs (copie de texte)",
        "en": "Speed against errors (copy typing)",
    },
    "progress_title": {
        "nl": "Voortgang: {indicator}",
        "fr": "Progression : {indicator}",
        "en": "Progress: {indicator}",
    },
    "trend_title": {
        "nl": "Verloop per taak: {indicator}",
        "fr": "Évolution par tâche : {indicator}",
        "en": "Trend per task: {indicator}",
    },
    "heatmap_title": {
        "nl": "Zwakste toetsen ({layout})",
        "fr": "Touches les plus faibles ({layout})",
        "en": "Weakest keys ({layout})",
    },
    "heatmap_colorbar": {"nl": "gewogen fouten", "fr": "erreurs pondérées", "en": "weighted errors"},
    "missed_fields_title": {"nl": "Meest gemiste velden", "fr": "Champs les plus manqués", "en": "Most-missed fields"},
    "field": {"nl": "veld", "fr": "champ", "en": "field"},
    "missed_share": {"nl": "aandeel gemist", "fr": "part manquée", "en": "share missed"},
    "applicant_title": {"nl": "Kandidaat {candidate}", "fr": "Candidat {candidate}", "en": "Applicant {candidate}"},
    # report words
    "report_title": {"nl": "Cohortrapport", "fr": "Rapport de cohorte", "en": "Cohort report"},
    "cohort": {"nl": "cohort", "fr": "cohorte", "en": "cohort"},
    "all_cohorts": {"nl": "alle cohorten", "fr": "toutes les cohortes", "en": "all cohorts"},
    "generated": {"nl": "aangemaakt", "fr": "créé le", "en": "generated"},
    "n_candidates": {"nl": "kandidaten", "fr": "candidats", "en": "candidates"},
    "n_attempts": {"nl": "pogingen", "fr": "essais", "en": "attempts"},
    "summary": {"nl": "Samenvatting", "fr": "Résumé", "en": "Summary"},
    "statistics": {
        "nl": "Statistieken per taak en indicator",
        "fr": "Statistiques par tâche et indicateur",
        "en": "Statistics per task and indicator",
    },
    "applicants": {"nl": "Kandidaten", "fr": "Candidats", "en": "Applicants"},
    "multitask": {"nl": "Multitasking", "fr": "Multitâche", "en": "Multitasking"},
    "candidate": {"nl": "kandidaat", "fr": "candidat", "en": "candidate"},
    "task": {"nl": "taak", "fr": "tâche", "en": "task"},
    "indicator": {"nl": "indicator", "fr": "indicateur", "en": "indicator"},
    "value": {"nl": "waarde", "fr": "valeur", "en": "value"},
    "verdict": {"nl": "oordeel", "fr": "verdict", "en": "verdict"},
    "percentile": {"nl": "percentiel", "fr": "percentile", "en": "percentile"},
    "rank": {"nl": "rang", "fr": "rang", "en": "rank"},
    "n": {"nl": "n", "fr": "n", "en": "n"},
    "mean": {"nl": "gemiddelde", "fr": "moyenne", "en": "mean"},
    "sd": {"nl": "SD", "fr": "écart-type", "en": "SD"},
    "median": {"nl": "mediaan", "fr": "médiane", "en": "median"},
    "q1": {"nl": "Q1", "fr": "Q1", "en": "Q1"},
    "q3": {"nl": "Q3", "fr": "Q3", "en": "Q3"},
    "source": {"nl": "bron", "fr": "source", "en": "source"},
    "qualification": {"nl": "kwalificatie", "fr": "qualification", "en": "qualification"},
    "centre": {"nl": "centrum", "fr": "centre", "en": "centre"},
    "qualification_passed": {
        "nl": "kwalificatiedrempels gehaald",
        "fr": "seuils de la qualification atteints",
        "en": "qualification thresholds met",
    },
    "thresholds_passed": {"nl": "drempels gehaald", "fr": "seuils atteints", "en": "thresholds met"},
    "overall": {"nl": "totaal", "fr": "total", "en": "overall"},
    "sort_hint": {
        "nl": "Klik op een kolomkop om te sorteren.",
        "fr": "Cliquez sur un en-tête de colonne pour trier.",
        "en": "Click a column heading to sort.",
    },
    "ranking_rule": {"nl": "Rangschikking", "fr": "Classement", "en": "Ranking"},
    "ranking_rule_text": {
        "nl": "1. meer kwalificatiedrempels gehaald; 2. meer drempels gehaald in totaal; 3. hoger gemiddeld "
              "percentiel over de beslissende (kwalificatie-)indicatoren; 4. kandidaatnummer (A-Z)",
        "fr": "1. plus de seuils de la qualification atteints ; 2. plus de seuils atteints au total ; 3. percentile "
              "moyen plus élevé sur les indicateurs décisifs (de la qualification) ; 4. numéro de candidat (A-Z)",
        "en": "1. qualification thresholds met (more first); 2. all thresholds met (more first); 3. mean percentile "
              "rank over the deciding (qualification) indicators (higher first); 4. candidate id (A-Z)",
    },
    "thresholds_title": {"nl": "Drempels", "fr": "Seuils", "en": "Thresholds"},
    "basis": {"nl": "grondslag", "fr": "fondement", "en": "basis"},
    "override_note": {
        "nl": "* oordeel aangepast door een assessor",
        "fr": "* verdict modifié par un évaluateur",
        "en": "* verdict overridden by an assessor",
    },
    "no_data": {"nl": "geen gegevens", "fr": "pas de données", "en": "no data"},
    "overrides_title": {
        "nl": "Oordelen aangepast door een assessor",
        "fr": "Verdicts modifiés par un évaluateur",
        "en": "Verdicts overridden by an assessor",
    },
    "reason": {"nl": "reden", "fr": "motif", "en": "reason"},
    "assessor": {"nl": "assessor", "fr": "évaluateur", "en": "assessor"},
    "unverified": {
        "nl": "Let op: bij {n} poging(en) klopt de handtekening niet (gewijzigd na opslag); controleer met "
              "`typingtest verify`.",
        "fr": "Attention : la signature de {n} essai(s) ne correspond pas (modifié après l'enregistrement) ; "
              "vérifiez avec `typingtest verify`.",
        "en": "Warning: {n} attempt(s) fail their signature check (changed after storing); check with `typingtest "
              "verify`.",
    },
    "dual_task_cost": {"nl": "Kosten van dubbeltaak", "fr": "Coût de la double tâche", "en": "Dual-task cost"},
    "baseline_wpm": {
        "nl": "basissnelheid (overtypen)",
        "fr": "vitesse de base (copie de texte)",
        "en": "baseline speed (copy typing)",
    },
    "load_wpm": {"nl": "snelheid onder belasting", "fr": "vitesse sous charge", "en": "speed under load"},
    # the trainer's progress files and readable documents (issue 16)
    "battery": {"nl": "batterij", "fr": "batterie", "en": "battery"},
    "test_date": {"nl": "testdatum", "fr": "date du test", "en": "test date"},
    "battery_change": {
        "nl": "andere batterij: {battery}",
        "fr": "autre batterie : {battery}",
        "en": "battery changed: {battery}",
    },
    "progress_tasks_title": {
        "nl": "Voortgang: {indicator} ({tasks})",
        "fr": "Progression : {indicator} ({tasks})",
        "en": "Progress: {indicator} ({tasks})",
    },
    "session_passed": {"nl": "sessie geslaagd", "fr": "session réussie", "en": "session passed"},
    "session_failed": {"nl": "sessie niet geslaagd", "fr": "session échouée", "en": "session failed"},
    "sessions_title": {"nl": "Sessies", "fr": "Sessions", "en": "Sessions"},
    "session_rule": {
        "nl": "Een sessie is geslaagd wanneer elk beslissend oordeel van die sessie geslaagd is, over alle taken: "
              "de kwalificatiedrempels (3 % fouten bij elke getypte taak). Centrumdrempels (snelheid) staan in de "
              "grafieken maar beslissen niet.",
        "fr": "Une session est réussie quand chaque verdict décisif de cette session est réussi, sur toutes les "
              "tâches : les seuils de la qualification (3 % d'erreurs à chaque tâche tapée). Les seuils du centre "
              "(vitesse) figurent dans les graphiques mais ne décident pas.",
        "en": "A session passed when every deciding verdict of that session passed, over every task: the "
              "qualification's thresholds (3 % errors on every typed task). Centre thresholds (speed) are drawn in "
              "the charts but do not decide.",
    },
    "failed_on": {"nl": "niet gehaald: {what}", "fr": "non atteint : {what}", "en": "not met: {what}"},
    "practice_title": {"nl": "Oefeneffect", "fr": "Effet d'entraînement", "en": "Practice effect"},
    "practice_warning": {
        "nl": "Dezelfde tekst {item} ({task}) kwam terug in de sessies {sessions}: de latere cijfers kunnen door "
              "oefening met die tekst te gunstig zijn.",
        "fr": "Le même texte {item} ({task}) est revenu aux sessions {sessions} : les résultats suivants peuvent "
              "être flattés par l'entraînement sur ce texte.",
        "en": "The same passage {item} ({task}) came back in sessions {sessions}: later figures may be flattered by "
              "practice on that passage.",
    },
    "next_form_unseen": {
        "nl": "Een herkansing met batterij {battery} via typingtest run toont bij {task} {next}: een parallelle tekst "
              "van gelijke moeilijkheid die de cursist nog niet typte.",
        "fr": "Une reprise de la batterie {battery} via typingtest run présente {next} pour {task} : une forme "
              "parallèle de difficulté égale que le stagiaire n'a pas encore tapée.",
        "en": "A retake of battery {battery} through typingtest run presents {next} for {task}: a parallel form of "
              "matched difficulty the trainee has not typed yet.",
    },
    "next_form_cycle": {
        "nl": "Elke parallelle tekst van {item} ({task}) werd al getypt: een herkansing met batterij {battery} via "
              "typingtest run toont de langst geleden getypte, {next}; vergelijk met de eerste keer met die tekst, "
              "niet met de vorige sessie.",
        "fr": "Toutes les formes parallèles de {item} ({task}) ont été tapées : une reprise de la batterie {battery} "
              "via typingtest run présente la moins récemment tapée, {next} ; comparez-la à la première fois avec "
              "ce texte, non à la session précédente.",
        "en": "Every parallel form of {item} ({task}) has been typed: a retake of battery {battery} through typingtest "
              "run presents the least recently typed, {next}; judge it against the first time with that passage, not "
              "the previous one.",
    },
    "next_form_none": {
        "nl": "Er is geen ongeziene tekst van deze soort ({task}) meer: laat een nieuwe tekst opstellen (typingtest "
              "content check) of beoordeel de volgende sessie tegen de eerste keer met {item}, niet tegen de vorige.",
        "fr": "Il ne reste aucun texte de ce type ({task}) non vu : faites rédiger un nouveau texte (typingtest "
              "content check) ou comparez la prochaine session à la première fois avec {item}, non à la précédente.",
        "en": "No unseen passage of this kind ({task}) is left: have a new passage written (typingtest content "
              "check), or judge the next session against the first time with {item}, not the previous one.",
    },
    "came_back_none": {
        "nl": "De sessie waarin de tekst terugkwam, koos geen parallelle tekst (zonder parallelle teksten "
              "afgenomen: typingtest simulate, één taak, of van vóór de parallelle teksten).",
        "fr": "La session où le texte est revenu n'a choisi aucune forme parallèle (passée sans formes "
              "parallèles : typingtest simulate, une seule tâche, ou antérieure aux formes parallèles).",
        "en": "The session where it came back chose no parallel form (run without parallel forms: typingtest "
              "simulate, a single task, or from before parallel forms).",
    },
    "came_back_cycle": {
        "nl": "De tekst kwam terug omdat elke parallelle tekst ervan al getypt was.",
        "fr": "Le texte est revenu parce que toutes ses formes parallèles avaient été tapées.",
        "en": "It came back because every parallel form of it had been typed.",
    },
    "next_form_unknown": {
        "nl": "Batterij {battery} is hier niet bekend: kies voor de volgende sessie een tekst die de cursist nog "
              "niet typte: {unseen}.",
        "fr": "La batterie {battery} n'est pas connue ici : choisissez pour la prochaine session un texte que le "
              "stagiaire n'a pas encore tapé : {unseen}.",
        "en": "Battery {battery} is not known here: for the next session choose a passage the trainee has not typed "
              "yet: {unseen}.",
    },
    "no_repeats": {
        "nl": "Geen tekst kwam in twee sessies terug.",
        "fr": "Aucun texte n'est revenu dans deux sessions.",
        "en": "No passage came back in two sessions.",
    },
    "key_rates_title": {
        "nl": "Zwakste toetsen per keer getypt ({layout})",
        "fr": "Touches les plus faibles par frappe ({layout})",
        "en": "Weakest keys per keystroke ({layout})",
    },
    "key_rates_colorbar": {
        "nl": "fouten per keer getypt (%)",
        "fr": "erreurs par frappe (%)",
        "en": "errors per keystroke (%)",
    },
    "bigrams_title": {
        "nl": "Zwakste lettercombinaties (fouten per keer)",
        "fr": "Combinaisons de lettres les plus faibles (erreurs par occurrence)",
        "en": "Weakest letter pairs (errors per occurrence)",
    },
    "error_rate_per_occurrence": {
        "nl": "fouten per keer getypt (%)",
        "fr": "erreurs par occurrence (%)",
        "en": "errors per occurrence (%)",
    },
    "occurrences": {"nl": "keer", "fr": "occurrences", "en": "occurrences"},
    "errors": {"nl": "fouten", "fr": "erreurs", "en": "errors"},
    "prior_note": {
        "nl": "Fouten per keer, getrokken naar het eigen foutpercentage van de cursist ({overall}): (fouten + {m} x "
              "{overall}) / (keer + {m}); alleen tekens die minstens {min} keer getypt zijn.",
        "fr": "Erreurs par occurrence, ramenées vers le taux d'erreur propre du stagiaire ({overall}) : (erreurs + "
              "{m} x {overall}) / (occurrences + {m}) ; seulement les caractères tapés au moins {min} fois.",
        "en": "Errors per occurrence, shrunk towards the trainee's own error rate ({overall}): (errors + {m} x "
              "{overall}) / (occurrences + {m}); only characters typed at least {min} times.",
    },
    "no_occurrences": {
        "nl": "Geen aantallen per toets opgeslagen: gerangschikt op aantal fouten.",
        "fr": "Aucun nombre de frappes par touche enregistré : classé par nombre d'erreurs.",
        "en": "No counts per key stored: ordered by the number of errors.",
    },
    "empty": {"nl": "leeg", "fr": "vide", "en": "empty"},
    "wrong": {"nl": "fout", "fr": "erroné", "en": "wrong"},
    "override_by": {"nl": "door {assessor}, {at}", "fr": "par {assessor}, {at}", "en": "by {assessor}, {at}"},
    "local_time": {"nl": "Brusselse tijd", "fr": "heure de Bruxelles", "en": "Brussels time"},
    "weakest_keys_heading": {
        "nl": "Zwakste toetsen (fouten per keer getypt)",
        "fr": "Touches les plus faibles (erreurs par frappe)",
        "en": "Weakest keys (errors per keystroke)",
    },
    "basis_msd_error_rate": {
        "nl": "Contactcenteroperator 2016: foutloos typen binnen een foutenmarge van 3 % (fouten die in de "
              "eindtekst blijven, MSD-foutpercentage)",
        "fr": "Contactcenteroperator 2016 : taper sans erreurs dans une marge de 3 % (erreurs restant dans le texte "
              "final, taux d'erreur MSD)",
        "en": "Contactcenteroperator 2016: types without errors within an error margin of 3 % (errors left in the "
              "final text, MSD error rate)",
    },
    "basis_field_error_rate": {
        "nl": "Contactcenteroperator 2016: verzamelde gegevens in het juiste veld invoeren; typen binnen 3 % "
              "(MSD-foutpercentage over de getypte velden)",
        "fr": "Contactcenteroperator 2016 : saisir les données recueillies dans le bon champ ; taper avec moins de "
              "3 % d'erreurs (taux MSD sur les champs tapés)",
        "en": "Contactcenteroperator 2016: enters gathered data in the right field; types within 3 % (MSD error "
              "rate over a form's typed fields)",
    },
    "basis_field_completeness": {
        "nl": "Contactcenteroperator 2016: alle verzamelde gegevens volledig invoeren (aandeel verplichte velden "
              "ingevuld)",
        "fr": "Contactcenteroperator 2016 : saisir complètement toutes les données recueillies (part des champs "
              "obligatoires remplis)",
        "en": "Contactcenteroperator 2016: enters all gathered data completely (share of required fields filled)",
    },
    "basis_net_wpm": {
        "nl": "standaard van het centrum: 30 netto woorden per minuut bij overtypen; de kwalificatie noemt geen "
              "snelheid",
        "fr": "valeur par défaut du centre : 30 mots nets par minute en copie de texte ; la qualification ne fixe "
              "pas de vitesse",
        "en": "centre default: 30 net words per minute in copy typing; the qualification gives no speed",
    },
    "basis_pickup_time_s": {
        "nl": "standaard van het centrum: opnemen binnen drie beltonen (Belgisch belritme 1 s aan, 3 s uit)",
        "fr": "valeur par défaut du centre : décrocher en trois sonneries (cadence belge 1 s de sonnerie, 3 s de "
              "pause)",
        "en": "centre default: pick up within three rings (Belgian ring cadence 1 s on, 3 s off)",
    },
    "basis_call_handling_time_s": {
        "nl": "standaard van het centrum: een gesprek afgehandeld, verslag inbegrepen, binnen 7 minuten",
        "fr": "valeur par défaut du centre : un appel traité, compte rendu compris, en 7 minutes",
        "en": "centre default: a call handled, wrap-up included, within 7 minutes",
    },
    "basis_record_find_time_s": {
        "nl": "standaard van het centrum: het dossier van de beller geopend binnen 30 s nadat de beller de gegevens "
              "gaf",
        "fr": "valeur par défaut du centre : le dossier de l'appelant ouvert dans les 30 s après que l'appelant a "
              "donné les données",
        "en": "centre default: the caller's record opened within 30 s of the caller giving the data to find it",
    },
    "basis_action_score": {
        "nl": "standaard van het centrum: minstens 80 % van de verwachte handelingen van een gesprek juist uitgevoerd",
        "fr": "valeur par défaut du centre : au moins 80 % des actions attendues d'un appel faites correctement",
        "en": "centre default: at least 80 % of a call's expected actions done correctly",
    },
    "tasks_header": {"nl": "taak", "fr": "tâche", "en": "task"},
    # the report's reliability section (analysis.reliability.cohort_reliability)
    "reliability_title": {
        "nl": "Betrouwbaarheid van de meting",
        "fr": "Fidélité de la mesure",
        "en": "Reliability of the measurement",
    },
    "reliability_text": {
        "nl": "Elke poging is in stukken van ongeveer {chars} tekens geknipt; de oneven en de even stukken zijn "
              "twee halve tests. Split-half-betrouwbaarheid: Spearman-Brown over de correlatie van de helften; SEM: "
              "standaardmeetfout in de eenheid van de indicator; zelfde beslissing: het aandeel kandidaten van wie "
              "beide helften aan dezelfde kant van de drempel liggen (een halve test: de hele test is consistenter).",
        "fr": "Chaque essai est coupé en segments d'environ {chars} caractères ; les segments impairs et pairs "
              "forment deux demi-tests. Fidélité split-half : Spearman-Brown sur la corrélation des moitiés ; SEM : "
              "erreur type de mesure, dans l'unité de l'indicateur ; même décision : la part des candidats dont les "
              "deux moitiés sont du même côté du seuil (un demi-test : le test entier est plus constant).",
        "en": "Each attempt is cut into segments of about {chars} characters; the odd and the even segments are two "
              "half tests. Split-half reliability: Spearman-Brown over the correlation of the halves; SEM: standard "
              "error of measurement, in the indicator's unit; same decision: the share of candidates whose two "
              "halves fall on the same side of the threshold (half a test: the whole test is more consistent).",
    },
    "reliability_too_few": {
        "nl": "{task}: te weinig pogingen ({n}) om de betrouwbaarheid te schatten; minstens {least} nodig.",
        "fr": "{task} : trop peu d'essais ({n}) pour estimer la fidélité ; il en faut au moins {least}.",
        "en": "{task}: too few attempts ({n}) to estimate reliability; at least {least} needed.",
    },
    "reliability_unavailable": {
        "nl": "Niet berekend: de betrouwbaarheid vraagt de toetsaanslagen van elke poging (uit de database; niet "
              "uit een CSV-bestand).",
        "fr": "Non calculée : la fidélité demande les frappes de chaque essai (de la base de données ; pas d'un "
              "fichier CSV).",
        "en": "Not computed: reliability needs each attempt's key presses (from the database; not from a CSV file).",
    },
    "reliability_none": {
        "nl": "Geen getypte pogingen (overtypen, transcriptie) om te splitsen.",
        "fr": "Aucun essai tapé (copie de texte, transcription) à couper.",
        "en": "No typed attempts (copy typing, transcription) to split.",
    },
    "subjects": {"nl": "pogingen", "fr": "essais", "en": "attempts"},
    "chars_each": {"nl": "tekens per poging", "fr": "caractères par essai", "en": "characters per attempt"},
    "split_half": {"nl": "split-half", "fr": "split-half", "en": "split-half"},
    "sem": {"nl": "SEM", "fr": "SEM", "en": "SEM"},
    "same_decision": {"nl": "zelfde beslissing", "fr": "même décision", "en": "same decision"},
    "kappa": {"nl": "kappa", "fr": "kappa", "en": "kappa"},
}

#: Data fields in words, by the name the engine scores them under.
FIELDS: Table = {
    "name": {"nl": "naam", "fr": "nom", "en": "name"},
    "first_name": {"nl": "voornaam", "fr": "prénom", "en": "first name"},
    "last_name": {"nl": "familienaam", "fr": "nom de famille", "en": "last name"},
    "street": {"nl": "straat en huisnummer", "fr": "rue et numéro", "en": "street and number"},
    "postcode": {"nl": "postcode", "fr": "code postal", "en": "postcode"},
    "municipality": {"nl": "gemeente", "fr": "commune", "en": "municipality"},
    "city": {"nl": "gemeente", "fr": "commune", "en": "city"},
    "phone": {"nl": "telefoon", "fr": "téléphone", "en": "phone"},
    "email": {"nl": "e-mailadres", "fr": "adresse e-mail", "en": "e-mail address"},
    "customer_number": {"nl": "klantnummer", "fr": "numéro de client", "en": "customer number"},
    "order": {"nl": "bestelling", "fr": "commande", "en": "order"},
    "order_code": {"nl": "bestelcode", "fr": "code de commande", "en": "order code"},
    "order_qty": {"nl": "aantal", "fr": "quantité", "en": "quantity"},
    "order_number": {"nl": "bestelnummer", "fr": "numéro de commande", "en": "order number"},
    "wrapup": {"nl": "gespreksverslag", "fr": "compte rendu de l'appel", "en": "call wrap-up note"},
    "birth_date": {"nl": "geboortedatum", "fr": "date de naissance", "en": "date of birth"},
    "company": {"nl": "bedrijf", "fr": "entreprise", "en": "company"},
    "contact_name": {"nl": "contactpersoon", "fr": "personne de contact", "en": "contact person"},
    "appointment_date": {"nl": "datum afspraak", "fr": "date du rendez-vous", "en": "appointment date"},
    "appointment_time": {"nl": "uur afspraak", "fr": "heure du rendez-vous", "en": "appointment time"},
    "move_date": {"nl": "verhuisdatum", "fr": "date du déménagement", "en": "moving date"},
    "serial_number": {"nl": "serienummer", "fr": "numéro de série", "en": "serial number"},
    "vat_number": {"nl": "btw-nummer", "fr": "numéro de TVA", "en": "VAT number"},
    "product": {"nl": "product", "fr": "produit", "en": "product"},
    "product_code": {"nl": "productcode", "fr": "code produit", "en": "product code"},
    "problem": {"nl": "probleem", "fr": "problème", "en": "problem"},
    "install_date": {"nl": "installatiedatum", "fr": "date d'installation", "en": "installation date"},
    "install_time": {"nl": "installatie-uur", "fr": "heure d'installation", "en": "installation time"},
    "frame_number": {"nl": "framenummer", "fr": "numéro de cadre", "en": "frame number"},
    "country": {"nl": "land", "fr": "pays", "en": "country"},
    "callback_phone": {"nl": "terugbelnummer", "fr": "numéro de rappel", "en": "call-back number"},
    "callback_note": {"nl": "notitie terugbellen", "fr": "note de rappel", "en": "call-back note"},
    "advance_start": {"nl": "start voorschot", "fr": "début de l'acompte", "en": "advance start"},
    "new_advance": {"nl": "nieuw voorschot", "fr": "nouvel acompte", "en": "new advance"},
    "complaint_invoice": {"nl": "factuur klacht", "fr": "facture de la plainte", "en": "complaint invoice"},
    "complaint_intervention": {
        "nl": "interventie klacht",
        "fr": "intervention de la plainte",
        "en": "complaint intervention",
    },
    "complaint_amount": {"nl": "bedrag klacht", "fr": "montant de la plainte", "en": "complaint amount"},
}

#: The competence codes of the qualification Contactcenteroperator (2016) in words.
COMPETENCES: Table = {
    "D140801 Id17425": {
        "nl": "identiteit en gegevens van de beller nagaan, het juiste dossier vinden",
        "fr": "vérifier l'identité et les données de l'appelant, trouver le bon dossier",
        "en": "check the caller's identity and data, find the right record",
    },
    "D140801 Id16700": {
        "nl": "het doel van het gesprek bepalen, het script volgen",
        "fr": "déterminer l'objet de l'appel, suivre le script",
        "en": "identify the purpose of the call, follow the script",
    },
    "D140801 Id17255": {
        "nl": "de klant informeren met de informatiebronnen, vertrouwelijkheid bewaren",
        "fr": "informer le client avec les sources d'information, préserver la confidentialité",
        "en": "inform the customer from the sources provided, keep confidentiality",
    },
    "D140801 Id17852": {
        "nl": "beschikbaarheid nagaan, bestelling invoeren, contact registreren",
        "fr": "vérifier la disponibilité, saisir la commande, enregistrer le contact",
        "en": "check availability, enter the order, register the contact",
    },
    "D140801 Id16426": {
        "nl": "de klant doorverbinden met de juiste persoon",
        "fr": "transférer le client vers la bonne personne",
        "en": "transfer the customer to the right person",
    },
    "D140801 Id234": {
        "nl": "klanten contacteren, terugbellen plannen",
        "fr": "contacter des clients, planifier un rappel",
        "en": "contact customers, schedule a call-back",
    },
    "D140801 Id17267": {
        "nl": "opvolgdocumenten invullen, typen binnen 3 % fouten",
        "fr": "remplir les documents de suivi, taper avec moins de 3 % d'erreurs",
        "en": "fill in the follow-up documents, type within 3 % errors",
    },
    "co 01669": {
        "nl": "simultaan handelen: luisteren, typen en het scherm volgen",
        "fr": "agir simultanément : écouter, taper et suivre l'écran",
        "en": "act simultaneously: listen, type and follow the screen",
    },
    "co 01670": {
        "nl": "gegevens volledig in het juiste veld invoeren, binnen 3 % fouten",
        "fr": "saisir toutes les données dans le bon champ, avec moins de 3 % d'erreurs",
        "en": "enter all data completely in the right field, within 3 % errors",
    },
    "co 01671": {
        "nl": "communicatietechnieken, afsluiten volgens het script",
        "fr": "techniques de communication, clôturer selon le script",
        "en": "communication techniques, close per the script",
    },
}

# The trainer view (issue 14, item 5): the learner model's keyboard heatmaps, the drills done,
# the targeted keys against the rest, and the parallel form of each session.
LABELS.update({
    "heatmap_error_title": {"nl": "Fouten per toets ({layout})", "fr": "Erreurs par touche ({layout})",
                            "en": "Errors per key ({layout})"},
    "heatmap_slowness_title": {"nl": "Traagheid per toets ({layout})", "fr": "Lenteur par touche ({layout})",
                               "en": "Slowness per key ({layout})"},
    "heatmap_error_scale": {"nl": "fouten per keer getypt (%, bijgetrokken)",
                            "fr": "erreurs par frappe (%, lissées)", "en": "errors per keystroke (%, shrunk)"},
    "heatmap_slowness_scale": {"nl": "tijd naar de toets (ms, bijgetrokken)",
                               "fr": "temps vers la touche (ms, lissé)", "en": "time into the key (ms, shrunk)"},
    "heatmap_overall": {"nl": "mediaan", "fr": "médiane", "en": "median"},
    "heatmap_few": {"nl": "minder dan {count} {what}: vooral de verwachting",
                    "fr": "moins de {count} {what} : surtout l'a priori",
                    "en": "fewer than {count} {what}: mostly the prior"},
    "heatmap_occurrences": {"nl": "keer getypt", "fr": "frappes", "en": "keystrokes"},
    "heatmap_intervals": {"nl": "tijden", "fr": "intervalles", "en": "intervals"},
    "drills_title": {"nl": "Gedane oefeningen", "fr": "Exercices faits", "en": "Drills done"},
    "no_drills": {"nl": "Nog geen oefeningen opgeslagen.", "fr": "Aucun exercice enregistré.",
                  "en": "No drills stored yet."},
    "drill_line": {"nl": "{date}  {task} {item}: doelen {targets}; {errors} fouten, {wpm} WPM",
                   "fr": "{date}  {task} {item} : cibles {targets} ; {errors} d'erreurs, {wpm} MPM",
                   "en": "{date}  {task} {item}: targets {targets}; {errors} errors, {wpm} WPM"},
    "targeted_trend_title": {"nl": "Geoefende toetsen tegenover de rest", "fr": "Touches exercées face aux autres",
                             "en": "Targeted keys against the rest"},
    "targeted_keys": {"nl": "geoefende toetsen ({keys})", "fr": "touches exercées ({keys})",
                      "en": "targeted keys ({keys})"},
    "other_keys": {"nl": "andere toetsen", "fr": "autres touches", "en": "other keys"},
    "forms_title": {"nl": "Teksten per sessie", "fr": "Textes par session", "en": "Passages per session"},
    "forms_line": {"nl": "teksten: {forms}", "fr": "textes : {forms}", "en": "passages: {forms}"},
    "form_instead": {"nl": "{item} (parallelle vorm van {battery_item})",
                     "fr": "{item} (forme parallèle de {battery_item})",
                     "en": "{item} (parallel form of {battery_item})"},
})  # fmt: skip
