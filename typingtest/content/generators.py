"""Seeded generators of fictional Belgian customer data, for randomised forms.

``draw_customer(seed, region, language)`` gives one customer's values (names, street,
postcode with its real municipality, customer number with check digits, e-mail, phone) and
their spoken forms; ``draw_form(item, seed)`` fills an item's ``{placeholders}`` with them.
The same seed always gives the same form, so a stored attempt's seed rebuilds its call.
Names are common first names and surnames; the combinations, addresses and numbers are
drawn at random and belong to no one.
"""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata
from typing import Any

from typingtest.content.model import Call, DataEntry, Fact, Field, Item, Record

__all__ = ["REGIONS", "draw_customer", "draw_form", "voice_gender"]

# First names by gender, so a drawn caller matches the voice (female / male).
_FIRST = {
    "vlaanderen": {
        "female": ["An", "Annelies", "Els", "Evi", "Griet", "Hanne", "Joke", "Katrien", "Lien", "Lotte", "Marleen",
                   "Nele", "Sofie", "Veerle", "Ine", "Lore"],
        "male": ["Bart", "Filip", "Jan", "Jef", "Karel", "Koen", "Luc", "Pieter", "Ruben", "Sander", "Stijn", "Tom",
                 "Wim", "Jens"],
    },
    "brussel": {
        "female": ["Amélie", "Céline", "Nadia", "Sarah", "Inès", "Yasmine", "Laura", "Élodie", "Camille"],
        "male": ["Antoine", "Julien", "Karim", "Thomas", "Mehdi", "Nicolas", "Youssef"],
    },
    "wallonie": {
        "female": ["Chantal", "Françoise", "Laurence", "Mathilde", "Pascale", "Valérie", "Aurélie"],
        "male": ["Benoît", "Jérôme", "Marc", "Olivier", "Sébastien", "Xavier", "Damien"],
    },
    "ostbelgien": {
        "female": ["Andrea", "Claudia", "Katja", "Monika", "Sabine", "Ursula", "Petra"],
        "male": ["Bernd", "Jürgen", "Manfred", "Stefan", "Thomas", "Jörg", "Lukas"],
    },
}
_LAST = {
    "vlaanderen": ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
                   "De Smet", "Dubois", "Hermans", "Aerts", "Vermeulen", "Van Damme", "Verhoeven", "De Clercq",
                   "Van den Broeck", "Desmet", "Coppens", "Lambrechts", "Verstraete", "Van Hecke", "De Backer",
                   "Segers", "Michiels", "Pauwels", "Claeys", "Wuyts", "Van de Velde"],
    "brussel": ["Dubois", "Lambert", "Dupont", "Martin", "Simon", "El Amrani", "Laurent", "Leroy", "Moreau",
                "Renard", "Benali", "Janssens", "Fontaine", "Lejeune"],
    "wallonie": ["Lambert", "Dupont", "Dumont", "François", "Leclercq", "Lejeune", "Renard", "Gérard", "Collard",
                 "Henrard", "Thiry", "Delvaux", "Jacquet", "Wathelet"],
    "ostbelgien": ["Schmitz", "Kessler", "Mreyen", "Heinen", "Lentz", "Jost", "Cremer", "Kohnen", "Theissen",
                   "Hilligsmann", "Weynand", "Pankert"],
}
_LAST["deutschland"] = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
                        "Schulz", "Hoffmann", "Koch", "Richter"]
_STREETS = {
    "vlaanderen": ["Kerkstraat", "Stationsstraat", "Molenstraat", "Schoolstraat", "Dorpsstraat", "Nieuwstraat",
                   "Kapelstraat", "Beekstraat", "Lindenlaan", "Kastanjelaan", "Veldstraat", "Hoogstraat",
                   "Bosstraat", "Meersstraat", "Heirbaan", "Vijverstraat", "Populierenlaan", "Boomgaardstraat",
                   "Processiestraat", "Bruggestraat"],
    "brussel": ["Rue du Moulin", "Avenue des Tilleuls", "Rue de l'Église", "Chaussée de Waterloo",
                "Rue des Champs", "Avenue de la Couronne", "Rue Vanderkindere", "Rue Josaphat"],
    "wallonie": ["Rue de la Station", "Rue du Moulin", "Rue de l'Église", "Rue Haute", "Chaussée de Bruxelles",
                 "Rue des Écoles", "Avenue des Acacias", "Rue du Centre"],
    "ostbelgien": ["Hauptstraße", "Kirchstraße", "Bahnhofstraße", "Aachener Straße", "Neustraße",
                   "Klosterstraße", "Bergstraße", "Herbesthaler Straße"],
    "deutschland": ["Hauptstraße", "Kirchstraße", "Bahnhofstraße", "Gartenstraße", "Schillerstraße",
                    "Lindenstraße", "Goethestraße", "Mühlenweg"],
}
# Real postcode / municipality pairs, with the telephone zone of the place.
_PLACES = {
    "vlaanderen": [("2000", "Antwerpen", "03"), ("9000", "Gent", "09"), ("3000", "Leuven", "016"),
                   ("8000", "Brugge", "050"), ("2800", "Mechelen", "015"), ("3500", "Hasselt", "011"),
                   ("8500", "Kortrijk", "056"), ("9300", "Aalst", "053"), ("2300", "Turnhout", "014"),
                   ("9100", "Sint-Niklaas", "03"), ("2500", "Lier", "03"), ("3300", "Tienen", "016"),
                   ("8400", "Oostende", "059"), ("9200", "Dendermonde", "052"), ("8800", "Roeselare", "051"),
                   ("3600", "Genk", "089"), ("2200", "Herentals", "014"), ("9400", "Ninove", "054")],
    "brussel": [("1000", "Bruxelles", "02"), ("1030", "Schaerbeek", "02"), ("1050", "Ixelles", "02"),
                ("1060", "Saint-Gilles", "02"), ("1070", "Anderlecht", "02"), ("1180", "Uccle", "02"),
                ("1200", "Woluwe-Saint-Lambert", "02")],
    "wallonie": [("4000", "Liège", "04"), ("5000", "Namur", "081"), ("6000", "Charleroi", "071"),
                 ("7000", "Mons", "065"), ("1300", "Wavre", "010"), ("1400", "Nivelles", "067"),
                 ("6700", "Arlon", "063"), ("4800", "Verviers", "087")],
    "ostbelgien": [("4700", "Eupen", "087"), ("4780", "Sankt Vith", "080"), ("4730", "Raeren", "087"),
                   ("4720", "Kelmis", "087"), ("4750", "Bütgenbach", "080"), ("4731", "Eynatten", "087")],
    "deutschland": [("52062", "Aachen", "0241"), ("50667", "Köln", "0221"), ("40213", "Düsseldorf", "0211"),
                    ("41061", "Mönchengladbach", "02161")],
}
_DOMAINS = {
    "vlaanderen": ["postduif.be", "webpost.be", "kabelpost.be", "mailhuis.be"],
    "brussel": ["courrierweb.be", "postduif.be", "boitemail.be"],
    "wallonie": ["courrierweb.be", "boitemail.be", "wallomail.be"],
    "ostbelgien": ["postfach-ost.be", "webpost.be"],
    "deutschland": ["postfach-web.de", "netzbrief.de"],
}
REGIONS = tuple(_PLACES)
_FIRST["deutschland"] = _FIRST["ostbelgien"]
_SPOKEN = {
    "nl": {"@": "apenstaartje", ".": "punt", "-": "streepje"},
    "fr": {"@": "arobase", ".": "point", "-": "tiret"},
    "en": {"@": "at", ".": "dot", "-": "dash"},
    "de": {"@": "at", ".": "Punkt", "-": "Bindestrich"},
}


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum())).lower()


def _phone(rng: random.Random, zone: str, region: str) -> str:
    if region != "deutschland" and rng.random() < 0.5:
        return f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if region == "deutschland":
        return f"{zone} {rng.randint(100000, 999999)}"
    rest = 9 - len(zone)  # Belgian landlines: 9 digits, the leading 0 included
    digits = "".join(str(rng.randint(0, 9)) for _ in range(rest))
    digits = str(rng.randint(2, 9)) + digits[1:]
    if len(zone) == 2:  # 03 218 44 10
        return f"{zone} {digits[:3]} {digits[3:5]} {digits[5:]}"
    return f"{zone} {digits[:2]} {digits[2:4]} {digits[4:]}"  # 016 28 44 10


_HUNDRED = {"nl": ("honderd", ""), "de": ("hundert", ""), "en": ("hundred", " "), "fr": ("cents", " ")}


def _pair_words(language: str) -> dict[int, str]:
    """0-99 as the first spelling of the language's number words ("vijfentwintig", "septante-deux")."""
    from typingtest.content.normalise import number_words

    out: dict[int, str] = {}
    for word, value in number_words(language).items():
        if value < 100 and " " not in word:
            out.setdefault(value, word)
    return out


def _spoken_postcode(postcode: str, language: str) -> str:
    """A Belgian postcode as callers say it: 2500 "vijfentwintighonderd", 2930 "negenentwintig dertig";
    other postcodes digit by digit."""
    if len(postcode) != 4 or language not in _HUNDRED:
        return " ".join(postcode)
    words = _pair_words(language)
    high, low = int(postcode[:2]), int(postcode[2:])
    hundred, joiner = _HUNDRED[language]
    if low == 0:
        return f"{words[high]}{joiner}{hundred}"
    low_words = words[low] if low >= 10 else f"{words[0]} {words[low]}"
    return f"{words[high]} {low_words}"


def _spoken_email(email: str, language: str) -> str:
    words = _SPOKEN.get(language, _SPOKEN["nl"])
    out = email
    for symbol, word in words.items():
        out = out.replace(symbol, f" {word} ")
    return " ".join(out.split())


def voice_gender(voice: str) -> str | None:
    """"female" or "male" for a caller voice (from ``typingtest.audio.voices``; by convention
    voices 1 and 3 are female, 2 and 4 male), None when unknown."""
    try:
        from typingtest.audio.voices import get_voice

        return get_voice(voice).gender
    except Exception:  # the audio part absent or the name unknown: the naming convention
        m = re.match(r"^[a-z]{2}-caller-([1-4])$", voice)
        return None if m is None else ("female" if int(m[1]) % 2 else "male")


def draw_customer(seed: int, region: str = "vlaanderen", language: str = "nl",
                  avoid_names: set[str] | frozenset[str] = frozenset(), gender: str | None = None) -> dict[str, str]:
    """One fictional customer drawn with ``seed``: the values of every placeholder (strings).

    ``gender`` ("female" / "male") picks the first name to match the caller's voice.
    """
    if region not in _PLACES:
        raise ValueError(f"unknown region {region!r}; known: {', '.join(REGIONS)}")
    rng = random.Random(f"typingtest-customer:{seed}:{region}")
    names = _FIRST[region]
    pool = names[gender] if gender in names else names["female"] + names["male"]
    for _ in range(100):
        first, last = rng.choice(pool), rng.choice(_LAST[region])
        if f"{first} {last}" not in avoid_names:
            break
    postcode, municipality, zone = rng.choice(_PLACES[region])
    street = rng.choice(_STREETS[region])
    house = str(rng.randint(1, 180))
    base = rng.randint(100000, 999999)
    check = base % 97 or 97
    number = f"{base:06d}-{check:02d}"
    email = f"{_ascii(first)}.{_ascii(last)}@{rng.choice(_DOMAINS[region])}"
    phone = _phone(rng, zone, region)
    birth = f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {
        "first_name": first,
        "last_name": last,
        "name": f"{first} {last}",
        "street": street,
        "house_number": house,
        "postcode": postcode,
        "municipality": municipality,
        "customer_number": number,
        "email": email,
        "phone": phone,
        "birth_date": birth,
        "customer_number_spoken": " ".join(number[:6]) + ", " + number[7:],
        "phone_spoken": ", ".join(phone.split()),
        "email_spoken": _spoken_email(email, language),
        "postcode_spoken": _spoken_postcode(postcode, language),
    }


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _fill(text: Any, values: dict[str, str]) -> Any:
    if not isinstance(text, str):
        return text
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _fill_field(f: Field, values: dict[str, str]) -> Field:
    facts = tuple(Fact(x.id, tuple(_fill(p, values) for p in x.any)) for x in f.facts)
    return dataclasses.replace(f, value=_fill(f.value, values), facts=facts)


def draw_form(item: Item, seed: int) -> Item:
    """A copy of ``item`` with its ``{placeholders}`` filled by the customer drawn with ``seed``.

    Items without ``[randomise]`` come back unchanged. The returned item's ``seed`` is set,
    and its values are the ones the scoring compares against.
    """
    if not isinstance(item, DataEntry | Call) or item.randomise is None:
        return item
    region = item.randomise.region
    avoid: set[str] = set()
    if isinstance(item, Call):
        avoid = {r.name for r in item.records if r.id != item.randomise.record}
    voice = item.voice if isinstance(item, DataEntry) else (item.caller.voice if item.caller else "")
    values = draw_customer(seed, region, item.language, avoid_names=avoid, gender=voice_gender(voice))
    lines = tuple(dataclasses.replace(ln, text=_fill(ln.text, values)) for ln in item.lines)
    fields = tuple(_fill_field(f, values) for f in item.fields)
    if isinstance(item, DataEntry):
        return dataclasses.replace(item, lines=lines, fields=fields, seed=seed)
    records = tuple(
        Record(**{k: _fill(v, values) for k, v in dataclasses.asdict(r).items() if k != "history"},
               history=r.history)
        if r.id == item.randomise.record else r
        for r in item.records
    )
    caller = item.caller
    if caller is not None:
        caller = dataclasses.replace(caller, name=_fill(caller.name, values))
    return dataclasses.replace(item, lines=lines, fields=fields, records=records, caller=caller, seed=seed)


