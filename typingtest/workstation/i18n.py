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
                       "dagen. Roep de proctor.",
                       "Ce candidat a déjà passé ce test le {date} ; une nouvelle tentative est possible après "
                       "{days} jours. Appelez le surveillant.",
                       "This candidate took this test on {date}; a retake is allowed after {days} days. "
                       "Call the proctor."),
    "closing_title": ("Einde van de test", "Fin du test", "End of the test"),
    "closing_text": ("Bedankt. U mag de hoofdtelefoon afzetten.", "Merci. Vous pouvez retirer le casque.",
                     "Thank you. You may take off the headset."),
    "close": ("Sluiten", "Fermer", "Close"),
    "proctor": ("Proctor", "Surveillant", "Proctor"),
    "proctor_code": ("Proctorcode", "Code surveillant", "Proctor code"),
    "pause": ("Pauzeren", "Pause", "Pause"),
    "resume": ("Hervatten", "Reprendre", "Resume"),
    "end_session": ("Sessie beëindigen", "Terminer la session", "End session"),
    "allow_no_audio": ("Taak zonder audio toestaan", "Autoriser sans audio", "Allow task without audio"),
    "incidents": ("Incidenten", "Incidents", "Incidents"),
    "paused": ("Gepauzeerd door de proctor", "En pause (surveillant)", "Paused by the proctor"),
    "wrong_code": ("Verkeerde code", "Code incorrect", "Wrong code"),
    "code_locked": ("Te veel verkeerde codes: wacht {s} s", "Trop de codes incorrects : attendez {s} s",
                    "Too many wrong codes: wait {s} s"),
    "no_audio": ("Geen audio-apparaat: deze taak kan pas starten als de proctor ze zonder audio toestaat.",
                 "Pas de périphérique audio : la tâche démarre quand le surveillant l'autorise sans audio.",
                 "No audio device: this task starts when the proctor allows it without audio."),
    "replay_title": ("Herafspelen", "Relecture", "Replay"),
    "summary": ("Samenvatting", "Résumé", "Summary"),
    "wpm": ("woorden per minuut (netto)", "mots par minute (nets)", "words per minute (net)"),
    "errors_left": ("fouten in de tekst", "erreurs dans le texte", "errors left in the text"),
    # the call's flow (issue 18): the ready step, the time warning, captions
    "call_ready": ("Klaar voor de oproep", "Prêt pour l'appel", "Ready for the call"),
    "call_not_ready": ("Bekijk het scherm. Klaar? Druk op F1.", "Regardez l'écran. Prêt ? Appuyez sur F1.",
                       "Look over the desk. Ready? Press F1."),
    "call_time_warning": ("Nog 1 minuut!", "Encore 1 minute !", "1 minute left!"),
    "captions_toggle": ("Ondertitels aan/uit", "Sous-titres oui/non", "Captions on/off"),
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
