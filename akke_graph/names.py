"""How names of organisations, projects and persons are compared and turned into IRI slugs.

Two spellings of one organisation differ in case, punctuation and legal-form words ("Turun
ammattikorkeakoulu Oy" / "Turun ammattikorkeakoulu Oy Ab" / "Turun ammattikorkeakoulu"): what
they share is their normalised name. Cities are written in Finnish, Swedish and English ("Vaasan
kaupunki", "Vasa stad", "City of Vaasa"); :func:`city_names` gives those forms from the
municipality's name in the code list. The link tool and the importer compare names here, once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Legal-form words in Finnish, Swedish and English organisation names, and the company form each
# stands for (the trade register's wording, used by the link tool to weigh a candidate's form).
LEGAL_FORMS = {"oy": "osakeyhtiö", "ab": "osakeyhtiö", "oyj": "julkinen osakeyhtiö",
               "abp": "julkinen osakeyhtiö", "ky": "kommandiittiyhtiö", "ay": "avoin yhtiö",
               "osk": "osuuskunta", "ry": "yhdistys", "rf": "yhdistys", "sr": "säätiö",
               "kuntayhtymä": "kuntayhtymä", "maakuntayhtymä": "kuntayhtymä", "samkommun": "kuntayhtymä",
               "ltd": "osakeyhtiö", "plc": "julkinen osakeyhtiö", "inc": "osakeyhtiö"}


def words(name: str) -> list[str]:
    """Lower-case words of a name, punctuation out."""
    return re.sub(r"[^\w]+", " ", name.casefold()).split()


def normalise_name(name: str) -> str:
    """Lower case, punctuation out, legal-form words out: what two spellings of a name share."""
    found = words(name)
    kept = [w for w in found if w not in LEGAL_FORMS]
    return " ".join(kept or found)


def compact(name: str) -> str:
    """A name with case and every space, hyphen and punctuation mark taken out: titles written
    "kiertotalous toiminta" and "kiertotaloustoiminta" are one title."""
    return "".join(words(name))


def name_similarity(ours: Iterable[str], theirs: Iterable[str]) -> tuple[float, str]:
    """The best token-sorted similarity (0–1) between any of our names and theirs, and their name."""
    from rapidfuzz import fuzz

    best, match = 0.0, ""
    mine = [normalise_name(n) for n in ours if n]
    for name in theirs:
        other = normalise_name(name)
        for own in mine:
            score = fuzz.token_sort_ratio(own, other) / 100.0
            if score > best:
                best, match = score, name
    return best, match


def resemblance(ours: str, theirs: str) -> float | None:
    """How much two names that are not the same look like names of one organisation (0–1), or
    None when they do not: nearly the same letters ("Sairaanhoitopiiri" / "sairaanhoitopiirin"),
    or every word of one inside the other ("Åbo Akademi" / "Åbo Akademi University"). Names that
    share only words such as "yliopisto" ("Turun yliopisto" / "Oulun yliopisto") do not."""
    from rapidfuzz import fuzz

    a, b = normalise_name(ours), normalise_name(theirs)
    ratio = fuzz.ratio(a, b) / 100.0
    if ratio >= 0.93:
        return ratio
    short, long = sorted((set(a.split()), set(b.split())), key=len)
    if short and short < long:
        return round(len(short) / len(long), 3)
    return None


def legal_form_word(names: Iterable[str]) -> str | None:
    for name in names:
        for word in words(name):
            if word in LEGAL_FORMS:
                return word
    return None


def slugify(text: str, limit: int = 0) -> str:
    """Lowercase ASCII slug: ``Jyväskylä Energia 3 Oy`` -> ``jyvaskyla-energia-3-oy``; with
    ``limit``, cut at a hyphen so that the slug is at most that long."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if limit and len(slug) > limit:
        cut = slug[:limit + 1].rsplit("-", 1)[0] if "-" in slug[:limit + 1] else slug[:limit]
        slug = cut.strip("-")
    return slug


def city_names(municipality: str, lang: str) -> list[str]:
    """The names a city's organisation goes by, from its municipality's name in one language:
    ``Vasa``/sv gives "Vasa stad"; ``Vaasa``/fi gives "City of Vaasa" (the English form is built
    on the Finnish name, as the cities write it themselves)."""
    if lang == "sv":
        return [f"{municipality} stad", f"{municipality} kommun"]
    if lang == "fi":
        return [f"City of {municipality}", f"Town of {municipality}", f"Municipality of {municipality}"]
    return []
