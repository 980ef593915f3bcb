"""The workstation's own wording (buttons, instructions, dialogs) in Dutch, French and English.

One table of the shape of every text table (``typingtest.texts``): key -> {language: text},
``{field}`` placeholders filled by ``typingtest.texts.text``; ``<key>_<n>`` is the wording for a
count ``n`` of exactly that value ("plays_left_0"). Read through ``workstation.i18n.Translator``.
"""

from __future__ import annotations

from typingtest.texts import Table

__all__ = ["STRINGS"]

#: Interface text of the workstation: key -> {language: text}.
STRINGS: Table = {
    "finish": {"nl": "Klaar", "fr": "Terminer", "en": "Finish"},
    "finish_confirm": {
        "nl": "Taak beëindigen? Druk op Enter om te bevestigen, Esc om verder te werken.",
        "fr": "Terminer la tâche ? Appuyez sur Entrée pour confirmer, Échap pour continuer.",
        "en": "End the task? Press Enter to confirm, Esc to go on.",
    },
    "finish_empty_required": {
        "nl": "Deze verplichte velden zijn nog leeg: {fields}.",
        "fr": "Ces champs obligatoires sont encore vides : {fields}.",
        "en": "These required fields are still empty: {fields}.",
    },
    "finish_early": {
        "nl": "U bent nog niet aan het einde van de tekst: wat u niet typte, telt als fout.",
        "fr": "Vous n'êtes pas à la fin du texte : ce que vous n'avez pas tapé compte comme erreur.",
        "en": "You have not reached the end of the text: what you did not type counts as errors.",
    },
    "time_left": {"nl": "Resterende tijd", "fr": "Temps restant", "en": "Time left"},
    "preparing": {
        "nl": "De volgende taak wordt klaargezet. Even geduld…",
        "fr": "Préparation de la tâche suivante. Un instant…",
        "en": "Preparing the next task. One moment…",
    },
    "copy_title": {"nl": "Overtypen", "fr": "Recopie", "en": "Copy typing"},
    "copy_help": {
        "nl": "Typ de tekst hieronder over in het vak. Verbeteren mag. Ctrl+Enter om te stoppen.",
        "fr": "Recopiez le texte ci-dessous dans le cadre. Vous pouvez corriger. Ctrl+Entrée pour terminer.",
        "en": "Type the text below into the box. You may correct. Ctrl+Enter to finish.",
    },
    "trans_title": {"nl": "Audiotranscriptie", "fr": "Transcription audio", "en": "Audio transcription"},
    "trans_help": {
        "nl": "Typ letterlijk wat de beller zegt. Afspelen: F5 (beperkt aantal keer).",
        "fr": "Tapez mot pour mot ce que dit l'appelant. Écouter : F5 (nombre limité).",
        "en": "Type exactly what the caller says. Play: F5 (limited number of times).",
    },
    "play": {"nl": "Afspelen", "fr": "Écouter", "en": "Play"},
    "plays_left": {"nl": "Nog {n} keer afspelen", "fr": "Encore {n} écoute(s)", "en": "{n} plays left"},
    "plays_left_0": {"nl": "Niet meer af te spelen", "fr": "Plus d'écoute possible", "en": "No plays left"},
    "plays_left_1": {"nl": "Nog 1 keer afspelen", "fr": "Encore 1 écoute", "en": "1 play left"},
    "entry_title": {"nl": "Gegevens invoeren", "fr": "Saisie de données", "en": "Data entry"},
    "entry_help": {
        "nl": "Luister naar de beller en vul de velden in. Tab: volgend veld. F5: opnieuw afspelen.",
        "fr": "Écoutez l'appelant et remplissez les champs. Tab : champ suivant. F5 : réécouter.",
        "en": "Listen to the caller and fill in the fields. Tab: next field. F5: play again.",
    },
    "call_title": {"nl": "Gesprekssimulatie", "fr": "Simulation d'appel", "en": "Call simulation"},
    "pickup": {"nl": "Opnemen", "fr": "Décrocher", "en": "Pick up"},
    "call_dial": {"nl": "Bellen", "fr": "Appeler", "en": "Dial"},
    "hold": {"nl": "Wacht", "fr": "Attente", "en": "Hold"},
    "unhold": {"nl": "Hervatten", "fr": "Reprendre", "en": "Resume"},
    "transfer": {"nl": "Doorverbinden", "fr": "Transférer", "en": "Transfer"},
    "hangup": {"nl": "Ophangen", "fr": "Raccrocher", "en": "Hang up"},
    "idle": {"nl": "Geen gesprek", "fr": "Pas d'appel", "en": "No call"},
    "ringing": {"nl": "Inkomende oproep...", "fr": "Appel entrant...", "en": "Incoming call..."},
    "connected": {"nl": "In gesprek", "fr": "En ligne", "en": "On a call"},
    "on_hold": {"nl": "In wacht", "fr": "En attente", "en": "On hold"},
    "ended": {"nl": "Gesprek beëindigd", "fr": "Appel terminé", "en": "Call ended"},
    "search": {"nl": "Zoeken", "fr": "Rechercher", "en": "Search"},
    "customer_search": {
        "nl": "Klant zoeken (naam, klantnummer, postcode)",
        "fr": "Recherche client (nom, n° client, code postal)",
        "en": "Customer search (name, customer number, postcode)",
    },
    "record": {"nl": "Klantenfiche", "fr": "Fiche client", "en": "Customer record"},
    "open_record": {"nl": "Fiche openen", "fr": "Ouvrir la fiche", "en": "Open record"},
    "verify_ok": {"nl": "Identiteit bevestigd", "fr": "Identité confirmée", "en": "Identity confirmed"},
    "verify_fail": {"nl": "Identiteit niet bevestigd", "fr": "Identité non confirmée", "en": "Identity not confirmed"},
    "purpose": {"nl": "Reden van de oproep", "fr": "Motif de l'appel", "en": "Purpose of the call"},
    "products": {
        "nl": "Producten (zoek op naam of code)",
        "fr": "Produits (nom ou code)",
        "en": "Products (name or code)",
    },
    "quantity": {"nl": "Aantal", "fr": "Quantité", "en": "Quantity"},
    "add_line": {"nl": "Bestellijn toevoegen", "fr": "Ajouter la ligne", "en": "Add order line"},
    "order": {"nl": "Bestelling", "fr": "Commande", "en": "Order"},
    "place_order": {"nl": "Bestelling plaatsen", "fr": "Passer la commande", "en": "Place order"},
    "kb": {"nl": "Kennisbank", "fr": "Base de connaissances", "en": "Knowledge base"},
    "chat": {"nl": "Chat", "fr": "Chat", "en": "Chat"},
    "send": {"nl": "Verzenden", "fr": "Envoyer", "en": "Send"},
    "callback": {"nl": "Terugbellen", "fr": "Rappel", "en": "Call-back"},
    "cb_date": {"nl": "Datum (JJJJ-MM-DD)", "fr": "Date (AAAA-MM-JJ)", "en": "Date (YYYY-MM-DD)"},
    "cb_time": {"nl": "Uur (UU:MM)", "fr": "Heure (HH:MM)", "en": "Time (HH:MM)"},
    "cb_note": {"nl": "Notitie", "fr": "Note", "en": "Note"},
    "save": {"nl": "Opslaan", "fr": "Enregistrer", "en": "Save"},
    "cancel": {"nl": "Annuleren", "fr": "Annuler", "en": "Cancel"},
    "wrapup": {"nl": "Afsluiten", "fr": "Clôture", "en": "Wrap-up"},
    "contact": {"nl": "Contactformulier", "fr": "Fiche contact", "en": "Contact form"},
    "transfer_to": {"nl": "Doorverbinden naar", "fr": "Transférer vers", "en": "Transfer to"},
    # the call desk answering (issue 18): script hint, today, caller number, confirmations, labels
    "script_hint": {
        "nl": "Script — klik op een zin om ze te zeggen",
        "fr": "Script : cliquez sur une phrase pour la dire",
        "en": "Script: click a line to say it",
    },
    "today": {"nl": "Vandaag: {date}", "fr": "Aujourd'hui : {date}", "en": "Today: {date}"},
    "caller_number": {"nl": "Oproep van {number}", "fr": "Appel du {number}", "en": "Call from {number}"},
    "transferred_to": {"nl": "Doorverbonden met {name}", "fr": "Transféré vers {name}", "en": "Transferred to {name}"},
    "saved": {"nl": "Opgeslagen", "fr": "Enregistré", "en": "Saved"},
    "saved_again": {"nl": "Opnieuw opgeslagen ({n}×)", "fr": "Enregistré à nouveau ({n}×)", "en": "Saved again ({n}×)"},
    "callback_planned": {
        "nl": "Terugbelafspraak gepland: {slot}",
        "fr": "Rappel planifié : {slot}",
        "en": "Call-back planned: {slot}",
    },
    "order_placed": {
        "nl": "Bestelling {number} geplaatst",
        "fr": "Commande {number} enregistrée",
        "en": "Order {number} placed",
    },
    "order_changed": {
        "nl": "Bestelling {number} gewijzigd",
        "fr": "Commande {number} modifiée",
        "en": "Order {number} changed",
    },
    "order_totals": {
        "nl": "Subtotaal {subtotal} · verzending {shipping} · totaal {total}",
        "fr": "Sous-total {subtotal} · livraison {shipping} · total {total}",
        "en": "Subtotal {subtotal} · shipping {shipping} · total {total}",
    },
    "order_unknown": {"nl": "onbekend artikel", "fr": "article inconnu", "en": "unknown article"},
    "order_bad_qty": {"nl": "aantal?", "fr": "quantité ?", "en": "quantity?"},
    "order_empty": {
        "nl": "Geen bestellijnen ingevuld",
        "fr": "Aucune ligne de commande",
        "en": "No order lines filled in",
    },
    "order_full": {
        "nl": "Alle bestellijnen zijn al ingevuld",
        "fr": "Toutes les lignes sont remplies",
        "en": "Every order line is filled",
    },
    "stock": {"nl": "voorraad {n}", "fr": "stock {n}", "en": "stock {n}"},
    "delivery": {
        "nl": "levering in {n} werkdagen",
        "fr": "livraison en {n} jours ouvrables",
        "en": "delivery in {n} working days",
    },
    "chat_new": {"nl": "Chat — nieuw bericht", "fr": "Chat — nouveau message", "en": "Chat — new message"},
    "rec_customer_number": {"nl": "Klantnummer", "fr": "N° client", "en": "Customer number"},
    "rec_address": {"nl": "Adres", "fr": "Adresse", "en": "Address"},
    "rec_phone": {"nl": "Telefoon", "fr": "Téléphone", "en": "Phone"},
    "rec_email": {"nl": "E-mail", "fr": "E-mail", "en": "E-mail"},
    "rec_birth_date": {"nl": "Geboortedatum", "fr": "Date de naissance", "en": "Date of birth"},
    "rec_segment": {"nl": "Segment", "fr": "Segment", "en": "Segment"},
    "rec_history": {"nl": "Historiek", "fr": "Historique", "en": "History"},
    "call_script_says": {
        "nl": "Wat u tegen de beller zegt, kiest u in het script: klik op een zin en u zegt ze.",
        "fr": "Ce que vous dites à l'appelant, vous le choisissez dans le script : cliquez sur une phrase pour la "
              "dire.",
        "en": "What you say to the caller you choose in the script: click a line to say it.",
    },
    "start": {"nl": "Starten", "fr": "Commencer", "en": "Start"},
    "next": {"nl": "Verder", "fr": "Suivant", "en": "Next"},
    "practice": {"nl": "Oefening", "fr": "Exercice", "en": "Practice"},
    "practice_help": {
        "nl": "Dit is een korte oefening; ze telt niet mee.",
        "fr": "Ceci est un court exercice ; il ne compte pas.",
        "en": "This is a short practice; it does not count.",
    },
    "intake_title": {"nl": "Welkom", "fr": "Bienvenue", "en": "Welcome"},
    "candidate_id": {"nl": "Kandidaatnummer", "fr": "Numéro de candidat", "en": "Candidate number"},
    # the access code of a registration (settings: intake = "access-code"; issue 13)
    "access_code": {
        "nl": "Toegangscode (op uw uitnodiging)",
        "fr": "Code d'accès (sur votre invitation)",
        "en": "Access code (on your invitation)",
    },
    "code_format": {
        "nl": "Een toegangscode heeft 6 tekens, bv. AK7-M3X. Kijk de code na.",
        "fr": "Un code d'accès a 6 caractères, p. ex. AK7-M3X. Vérifiez le code.",
        "en": "An access code has 6 characters, e.g. AK7-M3X. Check the code.",
    },
    "code_unknown": {
        "nl": "Deze code is onbekend. Kijk de code na of vraag het aan de toezichter.",
        "fr": "Ce code est inconnu. Vérifiez le code ou demandez au surveillant.",
        "en": "This code is unknown. Check the code or ask the proctor.",
    },
    "code_expired": {
        "nl": "Deze code is verlopen op {date}. Vraag de toezichter om hulp.",
        "fr": "Ce code a expiré le {date}. Demandez l'aide du surveillant.",
        "en": "This code expired on {date}. Ask the proctor for help.",
    },
    "code_cancelled": {
        "nl": "Deze code is geannuleerd. Vraag de toezichter om hulp.",
        "fr": "Ce code a été annulé. Demandez l'aide du surveillant.",
        "en": "This code was cancelled. Ask the proctor for help.",
    },
    "code_used": {
        "nl": "Deze code is al gebruikt. De toezichter kan een hervatting of herkansing toestaan.",
        "fr": "Ce code a déjà été utilisé. Le surveillant peut autoriser une reprise ou un nouveau passage.",
        "en": "This code was already used. The proctor can allow a resume or a retake.",
    },
    "code_wait": {
        "nl": "Te veel verkeerde codes: wacht {s} s",
        "fr": "Trop de codes erronés : attendez {s} s",
        "en": "Too many wrong codes: wait {s} s",
    },
    "code_no_database": {
        "nl": "De database is niet bereikbaar. Roep de toezichter.",
        "fr": "La base de données est injoignable. Appelez le surveillant.",
        "en": "The database cannot be reached. Call the proctor.",
    },
    "consent": {
        "nl": "Ik stem in met de verwerking van mijn gegevens voor deze test (toestemmingstekst {v}).",
        "fr": "J'accepte le traitement de mes données pour ce test (texte de consentement {v}).",
        "en": "I consent to the processing of my data for this test (consent text {v}).",
    },
    "consent_text": {
        "nl": "Uw toetsaanslagen, antwoorden en resultaten worden onder een kandidaatnummer bewaard om uw "
              "vaardigheden te beoordelen. Ze worden niet langer dan {days} dagen bewaard. U kunt inzage en wissing "
              "vragen aan het testcentrum.",
        "fr": "Vos frappes, réponses et résultats sont conservés sous un numéro de candidat pour évaluer vos "
              "compétences, au plus {days} jours. Vous pouvez en demander l'accès et l'effacement au centre.",
        "en": "Your keystrokes, answers and results are kept under a candidate number to assess your skills, for at "
              "most {days} days. You may ask the test centre to see or erase them.",
    },
    "agree": {"nl": "Ik ga akkoord", "fr": "J'accepte", "en": "I agree"},
    "layout_check": {
        "nl": "Toetsenbordcontrole: typ  {text}",
        "fr": "Contrôle du clavier : tapez  {text}",
        "en": "Keyboard check: type  {text}",
    },
    "headset_check": {
        "nl": "Hoofdtelefooncontrole: typ het woord dat u hoort (F5: opnieuw)",
        "fr": "Contrôle du casque : tapez le mot que vous entendez (F5 : réécouter)",
        "en": "Headset check: type the word you hear (F5: again)",
    },
    "check_ok": {"nl": "In orde", "fr": "OK", "en": "OK"},
    "check_wrong": {"nl": "Niet juist, probeer opnieuw", "fr": "Incorrect, réessayez", "en": "Not right, try again"},
    "retake_blocked": {
        "nl": "Deze kandidaat heeft deze test al afgelegd op {date}; een nieuwe poging kan pas na {days} dagen. "
              "Roep de toezichter.",
        "fr": "Ce candidat a déjà passé ce test le {date} ; une nouvelle tentative est possible après {days} jours. "
              "Appelez le surveillant.",
        "en": "This candidate took this test on {date}; a retake is allowed after {days} days. Call the proctor.",
    },
    "closing_title": {"nl": "Einde van de test", "fr": "Fin du test", "en": "End of the test"},
    "closing_text": {
        "nl": "Bedankt. U mag de hoofdtelefoon afzetten.",
        "fr": "Merci. Vous pouvez retirer le casque.",
        "en": "Thank you. You may take off the headset.",
    },
    "close": {"nl": "Sluiten", "fr": "Fermer", "en": "Close"},
    "proctor": {"nl": "Toezichter", "fr": "Surveillant", "en": "Proctor"},
    "proctor_code": {"nl": "Toezichtercode", "fr": "Code surveillant", "en": "Proctor code"},
    "pause": {"nl": "Pauzeren", "fr": "Pause", "en": "Pause"},
    "resume": {"nl": "Hervatten", "fr": "Reprendre", "en": "Resume"},
    "end_session": {"nl": "Sessie beëindigen", "fr": "Terminer la session", "en": "End session"},
    "allow_no_audio": {
        "nl": "Taak zonder audio toestaan",
        "fr": "Autoriser sans audio",
        "en": "Allow task without audio",
    },
    "incidents": {"nl": "Incidenten", "fr": "Incidents", "en": "Incidents"},
    "paused": {"nl": "Gepauzeerd door de toezichter", "fr": "En pause (surveillant)", "en": "Paused by the proctor"},
    "wrong_code": {"nl": "Verkeerde code", "fr": "Code incorrect", "en": "Wrong code"},
    "code_checking": {"nl": "Code controleren…", "fr": "Vérification du code…", "en": "Checking the code…"},
    "code_locked": {
        "nl": "Te veel verkeerde codes: wacht {s} s",
        "fr": "Trop de codes incorrects : attendez {s} s",
        "en": "Too many wrong codes: wait {s} s",
    },
    "no_audio": {
        "nl": "Geen audio-apparaat: deze taak kan pas starten als de toezichter ze zonder audio toestaat.",
        "fr": "Pas de périphérique audio : la tâche démarre quand le surveillant l'autorise sans audio.",
        "en": "No audio device: this task starts when the proctor allows it without audio.",
    },
    # issue 17, the flow from every entry point: why the intake stops a candidate, and what the
    # proctor does on a workstation without sound ({button}: the proctor panel's F7 caption)
    "retake_unfinished": {
        "nl": "Deze kandidaat heeft een onafgewerkte sessie van deze test (gestart op {date}). Roep de toezichter "
              "om ze te hervatten.",
        "fr": "Ce candidat a une session inachevée de ce test (commencée le {date}). Appelez le surveillant pour la "
              "reprendre.",
        "en": "This candidate has an unfinished session of this test (started on {date}). Call the proctor to "
              "resume it.",
    },
    "retake_wait": {
        "nl": "Deze kandidaat heeft deze test afgelegd op {date}. Een nieuwe poging kan pas {days} dagen na de "
              "vorige: nog {n} dagen, vanaf {until}. Roep de toezichter.",
        "fr": "Ce candidat a passé ce test le {date}. Une nouvelle tentative est possible {days} jours après la "
              "précédente : encore {n} jours, à partir du {until}. Appelez le surveillant.",
        "en": "This candidate took this test on {date}. A retake is allowed {days} days after the last one: {n} "
              "days from now, from {until}. Call the proctor.",
    },
    "retake_wait_1": {
        "nl": "Deze kandidaat heeft deze test afgelegd op {date}. Een nieuwe poging kan pas {days} dagen na de "
              "vorige: nog 1 dag, vanaf {until}. Roep de toezichter.",
        "fr": "Ce candidat a passé ce test le {date}. Une nouvelle tentative est possible {days} jours après la "
              "précédente : encore 1 jour, à partir du {until}. Appelez le surveillant.",
        "en": "This candidate took this test on {date}. A retake is allowed {days} days after the last one: 1 day "
              "from now, from {until}. Call the proctor.",
    },
    "no_audio_proctor": {
        "nl": "Deze computer heeft geen geluid. Wat u moet horen, kan pas verder als de toezichter het zonder audio "
              "toestaat. Roep de toezichter.\n\nToezichter: druk Ctrl+Alt+P, typ de toezichtercode (instelling "
              'proctor_code van het testcentrum) en kies F7 "{button}".',
        "fr": "Cet ordinateur n'a pas de son. Ce que vous devez entendre ne peut continuer que si le surveillant "
              "l'autorise sans audio. Appelez le surveillant.\n\nSurveillant : appuyez sur Ctrl+Alt+P, tapez le "
              "code surveillant (réglage proctor_code du centre) et choisissez F7 « {button} ».",
        "en": "This computer has no sound. What you need to hear can only go on once the proctor allows it without "
              "audio. Call the proctor.\n\nProctor: press Ctrl+Alt+P, type the proctor code (the centre's "
              'proctor_code setting) and choose F7 "{button}".',
    },
    "replay_title": {"nl": "Herafspelen", "fr": "Relecture", "en": "Replay"},
    "summary": {"nl": "Samenvatting", "fr": "Résumé", "en": "Summary"},
    "wpm": {"nl": "woorden per minuut (netto)", "fr": "mots par minute (nets)", "en": "words per minute (net)"},
    "errors_left": {"nl": "fouten in de tekst", "fr": "erreurs dans le texte", "en": "errors left in the text"},
    # the call's flow (issue 18): the ready step, the time warning, captions
    "call_ready": {"nl": "Klaar voor de oproep", "fr": "Prêt pour l'appel", "en": "Ready for the call"},
    "call_not_ready": {
        "nl": "Bekijk het scherm. Klaar? Druk op F1.",
        "fr": "Regardez l'écran. Prêt ? Appuyez sur F1.",
        "en": "Look over the desk. Ready? Press F1.",
    },
    # F1 "Bellen" on an outbound call with no customer record open: nothing to dial yet
    "call_dial_no_record": {
        "nl": "Open eerst de klantfiche van wie u belt.",
        "fr": "Ouvrez d'abord la fiche de la personne à appeler.",
        "en": "Open the record of the person to call first.",
    },
    "call_time_warning": {"nl": "Nog 1 minuut!", "fr": "Encore 1 minute !", "en": "1 minute left!"},
    "captions_toggle": {"nl": "Ondertitels aan/uit", "fr": "Sous-titres oui/non", "en": "Captions on/off"},
    # issue 17: every task waits for the candidate; the edges of a task
    "practice_result_title": {
        "nl": "Resultaat van de oefening",
        "fr": "Résultat de l'exercice",
        "en": "Your practice result",
    },
    "practice_result_speed": {
        "nl": "Netto snelheid: {wpm} woorden per minuut",
        "fr": "Vitesse nette : {wpm} mots par minute",
        "en": "Net speed: {wpm} words per minute",
    },
    "practice_result_errors": {
        "nl": "Fouten in de tekst: {rate} %",
        "fr": "Erreurs dans le texte : {rate} %",
        "en": "Errors left in the text: {rate} %",
    },
    "practice_result_marked": {
        "nl": "Uw fouten zijn hieronder rood en onderstreept.",
        "fr": "Vos erreurs sont en rouge et soulignées ci-dessous.",
        "en": "Your errors are shown below in red and underlined.",
    },
    "practice_result_none": {
        "nl": "De oefening is voorbij.",
        "fr": "L'exercice est terminé.",
        "en": "The practice is over.",
    },
    "test_starts_on_enter": {
        "nl": "De test begint als u op Enter drukt of op Starten klikt. De tijd loopt pas dan.",
        "fr": "Le test commence quand vous appuyez sur Entrée ou cliquez sur Commencer. Le temps ne court qu'à ce "
              "moment.",
        "en": "The test starts when you press Enter or click Start. The time runs only from then.",
    },
    "ready_title": {"nl": "Volgende taak", "fr": "Tâche suivante", "en": "Next task"},
    "time_up": {"nl": "De tijd is om", "fr": "Le temps est écoulé", "en": "Time is up"},
    "time_up_text": {
        "nl": "Uw antwoord is bewaard.",
        "fr": "Votre réponse est enregistrée.",
        "en": "Your answer has been saved.",
    },
    "time_up_next": {
        "nl": "Het volgende scherm verschijnt vanzelf.",
        "fr": "L'écran suivant s'affiche de lui-même.",
        "en": "The next screen appears by itself.",
    },
    "progress": {"nl": "Taak {n} van {total}", "fr": "Tâche {n} sur {total}", "en": "Task {n} of {total}"},
    "progress_practice": {
        "nl": "Eerst een oefening, dan taak {n} van {total}",
        "fr": "D'abord un exercice, puis la tâche {n} sur {total}",
        "en": "First a practice, then task {n} of {total}",
    },
    "paused_resume": {
        "nl": "De toezichter heeft de pauze beëindigd. Druk op Enter om verder te gaan; de tijd loopt pas dan.",
        "fr": "Le surveillant a levé la pause. Appuyez sur Entrée pour continuer ; le temps ne court qu'à ce moment.",
        "en": "The proctor has ended the pause. Press Enter to go on; the time runs only from then.",
    },
    "disagree": {"nl": "Ik ga niet akkoord", "fr": "Je refuse", "en": "I do not agree"},
    "consent_refused": {
        "nl": "U hebt niet ingestemd. De test stopt hier; er is niets van u bewaard. Meld u bij de begeleider.",
        "fr": "Vous n'avez pas donné votre accord. Le test s'arrête ici ; rien n'a été conservé. Adressez-vous au "
              "surveillant.",
        "en": "You did not consent. The test stops here; nothing about you has been kept. Please see the test "
              "supervisor.",
    },
    "proctor_override": {"nl": "Herkansing / hervatten", "fr": "Reprise / nouvelle tentative", "en": "Retake / resume"},
    "id_empty": {
        "nl": "Vul uw kandidaatnummer in",
        "fr": "Indiquez votre numéro de candidat",
        "en": "Enter your candidate number",
    },
    "id_space": {
        "nl": "Geen spaties in het kandidaatnummer",
        "fr": "Pas d'espaces dans le numéro de candidat",
        "en": "No spaces in the candidate number",
    },
    "id_chars": {
        "nl": "Alleen letters, cijfers, - en _ in het kandidaatnummer (een punt alleen tussen tekens)",
        "fr": "Uniquement des lettres, des chiffres, - et _ dans le numéro de candidat (un point seulement entre "
              "deux caractères)",
        "en": "Only letters, digits, - and _ in the candidate number (a full stop only between characters)",
    },
    "id_long": {
        "nl": "Het kandidaatnummer is te lang (hoogstens {n} tekens)",
        "fr": "Le numéro de candidat est trop long ({n} caractères au plus)",
        "en": "The candidate number is too long (at most {n} characters)",
    },
    "layout_no_spaces": {
        "nl": "Typ een spatie tussen de tekens, zoals getoond: {text}",
        "fr": "Tapez une espace entre les caractères, comme indiqué : {text}",
        "en": "Type a space between the characters, as shown: {text}",
    },
    "layout_mismatch": {
        "nl": "Niet hetzelfde als {text}: controleer of het toetsenbord op {layout} staat",
        "fr": "Différent de {text} : vérifiez que le clavier est réglé sur {layout}",
        "en": "Not the same as {text}: check that the keyboard is set to {layout}",
    },
    "layout_empty": {
        "nl": "Typ de tekens hierboven in het vak",
        "fr": "Tapez les caractères ci-dessus dans le cadre",
        "en": "Type the characters above into the box",
    },
    # the headset check refused: also for a candidate who hears nothing (headset, volume, sound
    # card), who can only go on with the proctor (F7 in the proctor panel)
    "headset_empty": {
        "nl": "Typ het woord dat u hoort (F5: opnieuw afspelen). Hoort u niets? Roep de toezichter.",
        "fr": "Tapez le mot que vous entendez (F5 : réécouter). Vous n'entendez rien ? Appelez le surveillant.",
        "en": "Type the word you hear (F5: play again). Hear nothing? Call the proctor.",
    },
    "headset_wrong": {
        "nl": "Dat is niet het woord dat u hoorde. Luister opnieuw met F5. Hoort u niets? Roep de toezichter.",
        "fr": "Ce n'est pas le mot entendu. Réécoutez avec F5. Vous n'entendez rien ? Appelez le surveillant.",
        "en": "That is not the word you heard. Listen again with F5. Hear nothing? Call the proctor.",
    },
    # the instructions before each kind of task (flow_scenes.InstructionsScene), by task kind
    "instructions_copy-typing": {
        "nl": "Bovenaan staat een tekst. Typ hem zo snel en zo juist mogelijk over in het vak eronder. Fouten "
              "verbeteren mag (Backspace, pijltjes). Plakken kan niet. Begin een nieuwe alinea (en elke regel van "
              "de ondertekening) met Enter of met een spatie: beide tellen als juist. Klaar? Ctrl+Enter of de knop "
              "Klaar, dan Enter om te bevestigen. De tijd loopt af rechtsboven.",
        "fr": "Un texte est affiché en haut. Recopiez-le aussi vite et aussi exactement que possible dans le cadre. "
              "Vous pouvez corriger (Retour arrière, flèches). Le collage est bloqué. Pour un nouveau paragraphe "
              "(et chaque ligne de la signature), appuyez sur Entrée ou sur la barre d'espace : les deux sont "
              "justes. Fini ? Ctrl+Entrée ou le bouton Terminer, puis Entrée pour confirmer.",
        "en": "A text is shown at the top. Type it as fast and as accurately as you can into the box below. You may "
              "correct (Backspace, arrows). Pasting is blocked. At a new paragraph (and each line of the signature) "
              "press Enter or the space bar: both count as correct. Done? Ctrl+Enter or the Finish button, then "
              "Enter to confirm. The time left is shown top right.",
    },
    "instructions_transcription": {
        "nl": "U hoort een voicemail van een klant. Typ letterlijk wat u hoort. Met F5 speelt u het bericht opnieuw "
              "af, een beperkt aantal keer.",
        "fr": "Vous entendez un message vocal d'un client. Tapez mot pour mot ce que vous entendez. F5 pour "
              "réécouter, un nombre limité de fois.",
        "en": "You will hear a customer's voicemail. Type exactly what you hear. F5 plays it again, a limited "
              "number of times.",
    },
    "instructions_data-entry": {
        "nl": "Een klant geeft zijn gegevens door. Vul elk veld van het formulier in. Tab gaat naar het volgende "
              "veld; F5 speelt de beller opnieuw af.",
        "fr": "Un client dicte ses données. Remplissez chaque champ du formulaire. Tab passe au champ suivant ; F5 "
              "pour réécouter.",
        "en": "A customer dictates their details. Fill in every field of the form. Tab moves to the next field; F5 "
              "plays the caller again.",
    },
    "instructions_call": {
        "nl": "U bent operator in een contactcenter. Bekijk eerst rustig het scherm en druk op Klaar voor de oproep "
              "(F1); dan gaat de telefoon: neem op (F1), zoek de klant, controleer de identiteit, help de klant met "
              "de bestelling of verbind door, beantwoord chatberichten met de kennisbank en schrijf na het gesprek "
              "een afsluitnotitie. Sneltoetsen staan op de knoppen.",
        "fr": "Vous êtes opérateur dans un centre de contact. Regardez d'abord l'écran, puis appuyez sur Prêt (F1) "
              "; le téléphone sonne : décrochez (F1), cherchez le client, vérifiez son identité, traitez sa demande "
              "ou transférez, répondez au chat avec la base de connaissances et rédigez une note de clôture. Les "
              "raccourcis sont sur les boutons.",
        "en": "You are a contact-centre operator. Look at the screen first, then press Ready for the call (F1); the "
              "phone rings: pick up (F1), find the customer, check their identity, handle the order or transfer the "
              "call, answer chat messages from the knowledge base and write a wrap-up note after the call. "
              "Shortcuts are shown on the buttons.",
    },
    # issue 14: practice at the workstation (``workstation.drill_scenes``)
    "drill_title": {"nl": "Oefenreeks {n}", "fr": "Exercice ciblé {n}", "en": "Drill {n}"},
    "drill_help_keys": {
        "nl": "Typ de tekst over. Deze reeks oefent: {keys}. Ctrl+Enter om te stoppen.",
        "fr": "Recopiez le texte. Cet exercice travaille : {keys}. Ctrl+Entrée pour arrêter.",
        "en": "Copy the text. This drill practises: {keys}. Ctrl+Enter to stop.",
    },
    "drill_help_dictation": {
        "nl": "Typ wat de beller zegt. F5 speelt opnieuw af. Ctrl+Enter om te stoppen.",
        "fr": "Tapez ce que dit l'appelant. F5 pour réécouter. Ctrl+Entrée pour arrêter.",
        "en": "Type what the caller says. F5 plays it again. Ctrl+Enter to stop.",
    },
    "drill_random": {
        "nl": "willekeurige woorden (nog geen zwakke toetsen bekend)",
        "fr": "des mots au hasard (pas encore de touches faibles connues)",
        "en": "random words (no weak keys known yet)",
    },
    "drill_intro_title": {"nl": "Oefenen", "fr": "Entraînement", "en": "Practice"},
    "drill_intro_text": {
        "nl": "U oefent {minutes} minuten, reeks na reeks. Elke reeks is gemaakt uit uw eigen fouten en trage "
              "toetsen. Na elke reeks ziet u uw resultaat. Oefenen telt niet als test.",
        "fr": "Vous vous entraînez {minutes} minutes, exercice après exercice. Chaque exercice est fait de vos "
              "propres erreurs et touches lentes. Après chaque exercice, vous voyez votre résultat. "
              "L'entraînement ne compte pas comme test.",
        "en": "You practise for {minutes} minutes, drill after drill. Each drill is made from your own errors and "
              "slow keys. After each drill you see your result. Practice does not count as a test.",
    },
    "drill_enter_esc": {
        "nl": "Enter: de volgende reeks begint (de tijd loopt pas dan). Esc: stoppen.",
        "fr": "Entrée : l'exercice suivant commence (le temps ne court qu'à ce moment). Échap : arrêter.",
        "en": "Enter: the next drill starts (the time runs only from then). Esc: stop.",
    },
    "drill_feedback_title": {
        "nl": "Resultaat van reeks {n}",
        "fr": "Résultat de l'exercice {n}",
        "en": "Result of drill {n}",
    },
    "drill_feedback_keys": {
        "nl": "Geoefende toetsen, fouten per aanslag voor deze reeks en nu:",
        "fr": "Touches travaillées, erreurs par frappe avant cet exercice et maintenant :",
        "en": "Keys practised, errors per keystroke before this drill and now:",
    },
    "drill_feedback_key": {
        "nl": "{name}: van {before} % naar {after} %",
        "fr": "{name} : de {before} % à {after} %",
        "en": "{name}: from {before} % to {after} %",
    },
    "drill_feedback_better": {"nl": "beter", "fr": "mieux", "en": "better"},
    "drill_feedback_no_keys": {
        "nl": "Nog geen zwakke toetsen bekend: deze reeks had willekeurige woorden.",
        "fr": "Pas encore de touches faibles connues : cet exercice avait des mots au hasard.",
        "en": "No weak keys known yet: this drill had random words.",
    },
    "drill_goal": {
        "nl": "Doel voor de volgende reeks: {rate} % fouten of minder, {wpm} woorden per minuut",
        "fr": "Objectif pour l'exercice suivant : {rate} % d'erreurs ou moins, {wpm} mots par minute",
        "en": "Goal for the next drill: {rate} % errors or less, {wpm} words per minute",
    },
    "drill_goal_errors": {
        "nl": "Doel voor de volgende reeks: {rate} % fouten of minder",
        "fr": "Objectif pour l'exercice suivant : {rate} % d'erreurs ou moins",
        "en": "Goal for the next drill: {rate} % errors or less",
    },
    "drill_time": {
        "nl": "Oefentijd: {used} van {total} minuten",
        "fr": "Temps d'entraînement : {used} sur {total} minutes",
        "en": "Practice time: {used} of {total} minutes",
    },
    "drill_time_over": {
        "nl": "De oefentijd is om. Enter of Esc sluit af.",
        "fr": "Le temps d'entraînement est écoulé. Entrée ou Échap pour terminer.",
        "en": "The practice time is over. Enter or Esc closes.",
    },
    "drill_next": {"nl": "Volgende reeks", "fr": "Exercice suivant", "en": "Next drill"},
    "drill_stop": {"nl": "Stoppen", "fr": "Arrêter", "en": "Stop"},
}
