"""Interface text in Dutch (default), French and English (``--ui-lang``).

The test *content* has its own language (``--lang``); this is only the workstation's own
wording: buttons, instructions, dialogs.
"""

from __future__ import annotations

__all__ = ["UI_LANGS", "Translator"]

UI_LANGS = ("nl", "fr", "en")

# key: (nl, fr, en)
_STRINGS: dict[str, tuple[str, str, str]] = {
    "finish": ("Klaar", "Terminer", "Finish"),
    "finish_confirm": ("Taak beëindigen? Druk op Enter om te bevestigen, Esc om verder te werken.",
                       "Terminer la tâche ? Appuyez sur Entrée pour confirmer, Échap pour continuer.",
                       "End the task? Press Enter to confirm, Esc to go on."),
    "finish_early": ("U bent nog niet aan het einde van de tekst: wat u niet typte, telt als fout.",
                     "Vous n'êtes pas à la fin du texte : ce que vous n'avez pas tapé compte comme erreur.",
                     "You have not reached the end of the text: what you did not type counts as errors."),
    "time_left": ("Resterende tijd", "Temps restant", "Time left"),
    "preparing": ("De volgende taak wordt klaargezet. Even geduld…", "Préparation de la tâche suivante. Un instant…",
                  "Preparing the next task. One moment…"),
    "copy_title": ("Overtypen", "Recopie", "Copy typing"),
    "copy_help": ("Typ de tekst hieronder over in het vak. Verbeteren mag. Ctrl+Enter om te stoppen.",
                  "Recopiez le texte ci-dessous dans le cadre. Vous pouvez corriger. Ctrl+Entrée pour terminer.",
                  "Type the text below into the box. You may correct. Ctrl+Enter to finish."),
    "trans_title": ("Audiotranscriptie", "Transcription audio", "Audio transcription"),
    "trans_help": ("Typ letterlijk wat de beller zegt. Afspelen: F5 (beperkt aantal keer).",
                   "Tapez mot pour mot ce que dit l'appelant. Écouter : F5 (nombre limité).",
                   "Type exactly what the caller says. Play: F5 (limited number of times)."),
    "play": ("Afspelen", "Écouter", "Play"),
    "plays_left": ("Nog {n} keer afspelen", "Encore {n} écoute(s)", "{n} plays left"),
    "plays_left_0": ("Niet meer af te spelen", "Plus d'écoute possible", "No plays left"),
    "plays_left_1": ("Nog 1 keer afspelen", "Encore 1 écoute", "1 play left"),
    "entry_title": ("Gegevens invoeren", "Saisie de données", "Data entry"),
    "entry_help": ("Luister naar de beller en vul de velden in. Tab: volgend veld. F5: opnieuw afspelen.",
                   "Écoutez l'appelant et remplissez les champs. Tab : champ suivant. F5 : réécouter.",
                   "Listen to the caller and fill in the fields. Tab: next field. F5: play again."),
    "call_title": ("Gesprekssimulatie", "Simulation d'appel", "Call simulation"),
    "pickup": ("Opnemen", "Décrocher", "Pick up"),
    "call_dial": ("Bellen", "Appeler", "Dial"),
    "hold": ("Wacht", "Attente", "Hold"),
    "unhold": ("Hervatten", "Reprendre", "Resume"),
    "transfer": ("Doorverbinden", "Transférer", "Transfer"),
    "hangup": ("Ophangen", "Raccrocher", "Hang up"),
    "idle": ("Geen gesprek", "Pas d'appel", "No call"),
    "ringing": ("Inkomende oproep...", "Appel entrant...", "Incoming call..."),
    "connected": ("In gesprek", "En ligne", "On a call"),
    "on_hold": ("In wacht", "En attente", "On hold"),
    "ended": ("Gesprek beëindigd", "Appel terminé", "Call ended"),
    "search": ("Zoeken", "Rechercher", "Search"),
    "customer_search": ("Klant zoeken (naam, klantnummer, postcode)", "Recherche client (nom, n° client, code postal)",
                        "Customer search (name, customer number, postcode)"),
    "record": ("Klantenfiche", "Fiche client", "Customer record"),
    "open_record": ("Fiche openen", "Ouvrir la fiche", "Open record"),
    "verify_ok": ("Identiteit bevestigd", "Identité confirmée", "Identity confirmed"),
    "verify_fail": ("Identiteit niet bevestigd", "Identité non confirmée", "Identity not confirmed"),
    "purpose": ("Reden van de oproep", "Motif de l'appel", "Purpose of the call"),
    "products": ("Producten (zoek op naam of code)", "Produits (nom ou code)", "Products (name or code)"),
    "quantity": ("Aantal", "Quantité", "Quantity"),
    "add_line": ("Bestellijn toevoegen", "Ajouter la ligne", "Add order line"),
    "order": ("Bestelling", "Commande", "Order"),
    "place_order": ("Bestelling plaatsen", "Passer la commande", "Place order"),
    "kb": ("Kennisbank", "Base de connaissances", "Knowledge base"),
    "chat": ("Chat", "Chat", "Chat"),
    "send": ("Verzenden", "Envoyer", "Send"),
    "callback": ("Terugbellen", "Rappel", "Call-back"),
    "cb_date": ("Datum (JJJJ-MM-DD)", "Date (AAAA-MM-JJ)", "Date (YYYY-MM-DD)"),
    "cb_time": ("Uur (UU:MM)", "Heure (HH:MM)", "Time (HH:MM)"),
    "cb_note": ("Notitie", "Note", "Note"),
    "save": ("Opslaan", "Enregistrer", "Save"),
    "cancel": ("Annuleren", "Annuler", "Cancel"),
    "wrapup": ("Afsluiten", "Clôture", "Wrap-up"),
    "contact": ("Contactformulier", "Fiche contact", "Contact form"),
    "transfer_to": ("Doorverbinden naar", "Transférer vers", "Transfer to"),
    # the call desk answering (issue 18): script hint, today, caller number, confirmations, labels
    "script_hint": ("Script — klik op een zin om ze te zeggen", "Script : cliquez sur une phrase pour la dire",
                    "Script: click a line to say it"),
    "today": ("Vandaag: {date}", "Aujourd'hui : {date}", "Today: {date}"),
    "caller_number": ("Oproep van {number}", "Appel du {number}", "Call from {number}"),
    "transferred_to": ("Doorverbonden met {name}", "Transféré vers {name}", "Transferred to {name}"),
    "saved": ("Opgeslagen", "Enregistré", "Saved"),
    "saved_again": ("Opnieuw opgeslagen ({n}×)", "Enregistré à nouveau ({n}×)", "Saved again ({n}×)"),
    "callback_planned": ("Terugbelafspraak gepland: {slot}", "Rappel planifié : {slot}", "Call-back planned: {slot}"),
    "order_placed": ("Bestelling {number} geplaatst", "Commande {number} enregistrée", "Order {number} placed"),
    "order_changed": ("Bestelling {number} gewijzigd", "Commande {number} modifiée", "Order {number} changed"),
    "order_totals": ("Subtotaal {subtotal} · verzending {shipping} · totaal {total}",
                     "Sous-total {subtotal} · livraison {shipping} · total {total}",
                     "Subtotal {subtotal} · shipping {shipping} · total {total}"),
    "order_unknown": ("onbekend artikel", "article inconnu", "unknown article"),
    "order_bad_qty": ("aantal?", "quantité ?", "quantity?"),
    "order_empty": ("Geen bestellijnen ingevuld", "Aucune ligne de commande", "No order lines filled in"),
    "order_full": ("Alle bestellijnen zijn al ingevuld", "Toutes les lignes sont remplies",
                   "Every order line is filled"),
    "stock": ("voorraad {n}", "stock {n}", "stock {n}"),
    "delivery": ("levering in {n} werkdagen", "livraison en {n} jours ouvrables", "delivery in {n} working days"),
    "chat_new": ("Chat — nieuw bericht", "Chat — nouveau message", "Chat — new message"),
    "rec_customer_number": ("Klantnummer", "N° client", "Customer number"),
    "rec_address": ("Adres", "Adresse", "Address"),
    "rec_phone": ("Telefoon", "Téléphone", "Phone"),
    "rec_email": ("E-mail", "E-mail", "E-mail"),
    "rec_birth_date": ("Geboortedatum", "Date de naissance", "Date of birth"),
    "rec_segment": ("Segment", "Segment", "Segment"),
    "rec_history": ("Historiek", "Historique", "History"),
    "call_script_says": ("Wat u tegen de beller zegt, kiest u in het script: klik op een zin en u zegt ze.",
                         "Ce que vous dites à l'appelant, vous le choisissez dans le script : cliquez sur une "
                         "phrase pour la dire.",
                         "What you say to the caller you choose in the script: click a line to say it."),
    "start": ("Starten", "Commencer", "Start"),
    "next": ("Verder", "Suivant", "Next"),
    "practice": ("Oefening", "Exercice", "Practice"),
    "practice_help": ("Dit is een korte oefening; ze telt niet mee.", "Ceci est un court exercice ; il ne compte pas.",
                      "This is a short practice; it does not count."),
    "intake_title": ("Welkom", "Bienvenue", "Welcome"),
    "candidate_id": ("Kandidaatnummer", "Numéro de candidat", "Candidate number"),
    "consent": ("Ik stem in met de verwerking van mijn gegevens voor deze test (toestemmingstekst {v}).",
                "J'accepte le traitement de mes données pour ce test (texte de consentement {v}).",
                "I consent to the processing of my data for this test (consent text {v})."),
    "consent_text": ("Uw toetsaanslagen, antwoorden en resultaten worden onder een kandidaatnummer bewaard om uw "
                     "vaardigheden te beoordelen. Ze worden niet langer dan {days} dagen bewaard. U kunt inzage en "
                     "wissing vragen aan het testcentrum.",
                     "Vos frappes, réponses et résultats sont conservés sous un numéro de candidat pour évaluer vos "
                     "compétences, au plus {days} jours. Vous pouvez en demander l'accès et l'effacement au centre.",
                     "Your keystrokes, answers and results are kept under a candidate number to assess your skills, "
                     "for at most {days} days. You may ask the test centre to see or erase them."),
    "agree": ("Ik ga akkoord", "J'accepte", "I agree"),
    "layout_check": ("Toetsenbordcontrole: typ  {text}", "Contrôle du clavier : tapez  {text}",
                     "Keyboard check: type  {text}"),
    "headset_check": ("Hoofdtelefooncontrole: typ het woord dat u hoort (F5: opnieuw)",
                      "Contrôle du casque : tapez le mot que vous entendez (F5 : réécouter)",
                      "Headset check: type the word you hear (F5: again)"),
    "check_ok": ("In orde", "OK", "OK"),
    "check_wrong": ("Niet juist, probeer opnieuw", "Incorrect, réessayez", "Not right, try again"),
    "retake_blocked": ("Deze kandidaat heeft deze test al afgelegd op {date}; een nieuwe poging kan pas na {days} "
                       "dagen. Roep de toezichter.",
                       "Ce candidat a déjà passé ce test le {date} ; une nouvelle tentative est possible après "
                       "{days} jours. Appelez le surveillant.",
                       "This candidate took this test on {date}; a retake is allowed after {days} days. "
                       "Call the proctor."),
    "closing_title": ("Einde van de test", "Fin du test", "End of the test"),
    "closing_text": ("Bedankt. U mag de hoofdtelefoon afzetten.", "Merci. Vous pouvez retirer le casque.",
                     "Thank you. You may take off the headset."),
    "close": ("Sluiten", "Fermer", "Close"),
    "proctor": ("Toezichter", "Surveillant", "Proctor"),
    "proctor_code": ("Toezichtercode", "Code surveillant", "Proctor code"),
    "pause": ("Pauzeren", "Pause", "Pause"),
    "resume": ("Hervatten", "Reprendre", "Resume"),
    "end_session": ("Sessie beëindigen", "Terminer la session", "End session"),
    "allow_no_audio": ("Taak zonder audio toestaan", "Autoriser sans audio", "Allow task without audio"),
    "incidents": ("Incidenten", "Incidents", "Incidents"),
    "paused": ("Gepauzeerd door de toezichter", "En pause (surveillant)", "Paused by the proctor"),
    "wrong_code": ("Verkeerde code", "Code incorrect", "Wrong code"),
    "code_locked": ("Te veel verkeerde codes: wacht {s} s", "Trop de codes incorrects : attendez {s} s",
                    "Too many wrong codes: wait {s} s"),
    "no_audio": ("Geen audio-apparaat: deze taak kan pas starten als de toezichter ze zonder audio toestaat.",
                 "Pas de périphérique audio : la tâche démarre quand le surveillant l'autorise sans audio.",
                 "No audio device: this task starts when the proctor allows it without audio."),
    # issue 17, the flow from every entry point: why the intake stops a candidate, and what the
    # proctor does on a workstation without sound ({button}: the proctor panel's F7 caption)
    "retake_unfinished": ("Deze kandidaat heeft een onafgewerkte sessie van deze test (gestart op {date}). Roep de "
                          "toezichter om ze te hervatten.",
                          "Ce candidat a une session inachevée de ce test (commencée le {date}). Appelez le "
                          "surveillant pour la reprendre.",
                          "This candidate has an unfinished session of this test (started on {date}). Call the "
                          "proctor to resume it."),
    "retake_wait": ("Deze kandidaat heeft deze test afgelegd op {date}. Een nieuwe poging kan pas {days} dagen na "
                    "de vorige: nog {n} dagen, vanaf {until}. Roep de toezichter.",
                    "Ce candidat a passé ce test le {date}. Une nouvelle tentative est possible {days} jours après "
                    "la précédente : encore {n} jours, à partir du {until}. Appelez le surveillant.",
                    "This candidate took this test on {date}. A retake is allowed {days} days after the last one: "
                    "{n} days from now, from {until}. Call the proctor."),
    "retake_wait_1": ("Deze kandidaat heeft deze test afgelegd op {date}. Een nieuwe poging kan pas {days} dagen "
                      "na de vorige: nog 1 dag, vanaf {until}. Roep de toezichter.",
                      "Ce candidat a passé ce test le {date}. Une nouvelle tentative est possible {days} jours "
                      "après la précédente : encore 1 jour, à partir du {until}. Appelez le surveillant.",
                      "This candidate took this test on {date}. A retake is allowed {days} days after the last "
                      "one: 1 day from now, from {until}. Call the proctor."),
    "no_audio_proctor": ("Deze computer heeft geen geluid. Wat u moet horen, kan pas verder als de toezichter het "
                         "zonder audio toestaat. Roep de toezichter.\n\nToezichter: druk Ctrl+Alt+P, typ de "
                         "toezichtercode (instelling proctor_code van het testcentrum) en kies F7 \"{button}\".",
                         "Cet ordinateur n'a pas de son. Ce que vous devez entendre ne peut continuer que si le "
                         "surveillant l'autorise sans audio. Appelez le surveillant.\n\nSurveillant : appuyez sur "
                         "Ctrl+Alt+P, tapez le code surveillant (réglage proctor_code du centre) et choisissez F7 "
                         "« {button} ».",
                         "This computer has no sound. What you need to hear can only go on once the proctor allows "
                         "it without audio. Call the proctor.\n\nProctor: press Ctrl+Alt+P, type the proctor code "
                         "(the centre's proctor_code setting) and choose F7 \"{button}\"."),
    "replay_title": ("Herafspelen", "Relecture", "Replay"),
    "summary": ("Samenvatting", "Résumé", "Summary"),
    "wpm": ("woorden per minuut (netto)", "mots par minute (nets)", "words per minute (net)"),
    "errors_left": ("fouten in de tekst", "erreurs dans le texte", "errors left in the text"),
    # the call's flow (issue 18): the ready step, the time warning, captions
    "call_ready": ("Klaar voor de oproep", "Prêt pour l'appel", "Ready for the call"),
    "call_not_ready": ("Bekijk het scherm. Klaar? Druk op F1.", "Regardez l'écran. Prêt ? Appuyez sur F1.",
                       "Look over the desk. Ready? Press F1."),
    # F1 "Bellen" on an outbound call with no customer record open: nothing to dial yet
    "call_dial_no_record": ("Open eerst de klantfiche van wie u belt.",
                            "Ouvrez d'abord la fiche de la personne à appeler.",
                            "Open the record of the person to call first."),
    "call_time_warning": ("Nog 1 minuut!", "Encore 1 minute !", "1 minute left!"),
    "captions_toggle": ("Ondertitels aan/uit", "Sous-titres oui/non", "Captions on/off"),
    # issue 17: every task waits for the candidate; the edges of a task
    "practice_result_title": ("Resultaat van de oefening", "Résultat de l'exercice", "Your practice result"),
    "practice_result_speed": ("Netto snelheid: {wpm} woorden per minuut", "Vitesse nette : {wpm} mots par minute",
                              "Net speed: {wpm} words per minute"),
    "practice_result_errors": ("Fouten in de tekst: {rate} %", "Erreurs dans le texte : {rate} %",
                               "Errors left in the text: {rate} %"),
    "practice_result_marked": ("Uw fouten zijn hieronder rood en onderstreept.",
                               "Vos erreurs sont en rouge et soulignées ci-dessous.",
                               "Your errors are shown below in red and underlined."),
    "practice_result_none": ("De oefening is voorbij.", "L'exercice est terminé.", "The practice is over."),
    "test_starts_on_enter": ("De test begint als u op Enter drukt of op Starten klikt. De tijd loopt pas dan.",
                             "Le test commence quand vous appuyez sur Entrée ou cliquez sur Commencer. Le temps "
                             "ne court qu'à ce moment.",
                             "The test starts when you press Enter or click Start. The time runs only from then."),
    "ready_title": ("Volgende taak", "Tâche suivante", "Next task"),
    "time_up": ("De tijd is om", "Le temps est écoulé", "Time is up"),
    "time_up_text": ("Uw antwoord is bewaard.", "Votre réponse est enregistrée.", "Your answer has been saved."),
    "time_up_next": ("Het volgende scherm verschijnt vanzelf.", "L'écran suivant s'affiche de lui-même.",
                     "The next screen appears by itself."),
    "progress": ("Taak {n} van {total}", "Tâche {n} sur {total}", "Task {n} of {total}"),
    "progress_practice": ("Eerst een oefening, dan taak {n} van {total}", "D'abord un exercice, puis la tâche {n} "
                          "sur {total}", "First a practice, then task {n} of {total}"),
    "paused_resume": ("De toezichter heeft de pauze beëindigd. Druk op Enter om verder te gaan; de tijd loopt pas dan.",
                      "Le surveillant a levé la pause. Appuyez sur Entrée pour continuer ; le temps ne court "
                      "qu'à ce moment.",
                      "The proctor has ended the pause. Press Enter to go on; the time runs only from then."),
    "disagree": ("Ik ga niet akkoord", "Je refuse", "I do not agree"),
    "consent_refused": ("U hebt niet ingestemd. De test stopt hier; er is niets van u bewaard. Meld u bij de "
                        "begeleider.",
                        "Vous n'avez pas donné votre accord. Le test s'arrête ici ; rien n'a été conservé. "
                        "Adressez-vous au surveillant.",
                        "You did not consent. The test stops here; nothing about you has been kept. Please see "
                        "the test supervisor."),
    "proctor_override": ("Herkansing / hervatten", "Reprise / nouvelle tentative", "Retake / resume"),
    "id_empty": ("Vul uw kandidaatnummer in", "Indiquez votre numéro de candidat", "Enter your candidate number"),
    "id_space": ("Geen spaties in het kandidaatnummer", "Pas d'espaces dans le numéro de candidat",
                 "No spaces in the candidate number"),
    "id_chars": ("Alleen letters, cijfers, - en _ in het kandidaatnummer (een punt alleen tussen tekens)",
                 "Uniquement des lettres, des chiffres, - et _ dans le numéro de candidat (un point seulement "
                 "entre deux caractères)",
                 "Only letters, digits, - and _ in the candidate number (a full stop only between characters)"),
    "id_long": ("Het kandidaatnummer is te lang (hoogstens {n} tekens)",
                "Le numéro de candidat est trop long ({n} caractères au plus)",
                "The candidate number is too long (at most {n} characters)"),
    "layout_no_spaces": ("Typ een spatie tussen de tekens, zoals getoond: {text}",
                         "Tapez une espace entre les caractères, comme indiqué : {text}",
                         "Type a space between the characters, as shown: {text}"),
    "layout_mismatch": ("Niet hetzelfde als {text}: controleer of het toetsenbord op {layout} staat",
                        "Différent de {text} : vérifiez que le clavier est réglé sur {layout}",
                        "Not the same as {text}: check that the keyboard is set to {layout}"),
    "layout_empty": ("Typ de tekens hierboven in het vak", "Tapez les caractères ci-dessus dans le cadre",
                     "Type the characters above into the box"),
    # the headset check refused: also for a candidate who hears nothing (headset, volume, sound
    # card), who can only go on with the proctor (F7 in the proctor panel)
    "headset_empty": ("Typ het woord dat u hoort (F5: opnieuw afspelen). Hoort u niets? Roep de toezichter.",
                      "Tapez le mot que vous entendez (F5 : réécouter). Vous n'entendez rien ? Appelez le "
                      "surveillant.",
                      "Type the word you hear (F5: play again). Hear nothing? Call the proctor."),
    "headset_wrong": ("Dat is niet het woord dat u hoorde. Luister opnieuw met F5. Hoort u niets? Roep de "
                      "toezichter.",
                      "Ce n'est pas le mot entendu. Réécoutez avec F5. Vous n'entendez rien ? Appelez le "
                      "surveillant.",
                      "That is not the word you heard. Listen again with F5. Hear nothing? Call the proctor."),
}


class Translator:
    """``tr(key, **values)``: the interface text in one language (English where one is missing);
    with a count ``n``, the entry ``<key>_<n>`` when there is one (zero and one read differently)."""

    def __init__(self, lang: str = "nl") -> None:
        if lang not in UI_LANGS:
            raise ValueError(f"interface language {lang!r} not available; choose one of {', '.join(UI_LANGS)}")
        self.lang = lang
        self._i = UI_LANGS.index(lang)

    def __call__(self, key: str, **values: object) -> str:
        # a count may have its own wording: "plays_left_0" for n=0 ("Nog 0 keer afspelen" reads wrong)
        entry = _STRINGS.get(f"{key}_{values['n']}") if "n" in values else None
        entry = entry or _STRINGS.get(key)
        text = key if entry is None else (entry[self._i] or entry[2])
        return text.format(**values) if values else text
