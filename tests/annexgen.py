"""Synthetic annex text exports with known truth.

`generate(seed)` builds a random but well-formed annex (ambitions, actions with
numbers and letters, party codes, initiators, status texts, footnotes) and
renders it as a tab-separated text export with the quirks of the real file
(samples/techniekpact-2013-bijlage2.txt), chosen at random per row:

matrix
  - the first letter glued to the title ('3<TAB>a Toename ...') or a '3a' key
    cell; later letters in their own key cell, the number carrying over;
  - party cells joined by spaces or commas, the 'nrtto' misprint, 'regio’s'
    with a curly apostrophe; a title wrapped onto a line of its own;
  - ambition group lines and an optional 'Regionale uitvoering' group;
  - titles named by a noun where the detail table has the verb ('Ontwikkeling
    ...' / 'Ontwikkelen ...'), abbreviations spelled out there ('WenT');
detail table
  - one row per matrix action (key-aligned), or one row for two letters
    ('b c'), or one row holding all letters as embedded sub-items
    ('... a. ... b. ...');
  - the initiator in its own cell, glued before the status ('OCW OCW heeft'),
    as a first paragraph ('<p>OCW</p> <p>...'), alone with the status on the
    next line, or missing; canonical names, aliases, lower case, names the
    vocabulary does not know; joined by '/ ', '/', ', ' or ' en ';
  - description paragraphs and lists in a middle cell of a continuation line
    (row 21b of the real file);
  - statuses in plain text or <p> paragraphs, with bullet lists and footnote
    markers (¹²³...);
  - page breaks every few rows: footnote lines for the page, an optional page
    number, the header repeated in its 4- or 5-column form; the row before a
    break may continue after it (status, and sometimes the action text too),
    on a line with empty leading cells; footnote markers printed doubled on
    the footnote line ('⁷⁷').

The truth says what the pipeline should publish for every action. Run
`python -m tests.annexgen SEED` to print the text of one seed.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass, field

import vocab

PARTY_GROUPS = ("employers", "employees", "education", "regions", "ministries")
SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _words(text: str) -> list[str]:
    return text.split()


MATRIX_HEADER_1 = (
    "Actie\twerkgevers\twerknemers\tonderwijsraden\tregio's\trijk\t"
    "looptijd (geel) mijlpaal/gereed (groen)" + "\t" * 16
)
MATRIX_HEADER_2 = (
    "\t\t\t\t\t\tBetrokken partijen\t\t\t\t\t\t'13\t'14\t'15\t'16\t'17\t'18\t'19\t'20\t\t\t"
)
YEARS = tuple(range(2013, 2021))
DETAIL_HEADER = {4: "Actie\t\tInitiatiefnemer\tStand van zaken",
                 5: "Actie\t\t\tInitiatiefnemer\tStand van zaken"}
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")

# Title words: each matrix title takes its own, so titles are distinct. Dutch-like,
# no stopwords, no abbreviations from vocab/abbreviations.csv.
CORE_WORDS = _words("""
leerlijn basisscholen profielkeuze bètavakken examenprogramma loopbaanoriëntatie beeldbank
loket docentenkorps pabo scholingsaanbod minor bedrijfsstages lerarenopleiding zij-instroom
vakkrachten investeringsfonds bekostiging macrodoelmatigheid studiebijsluiters
leerwerkplaats subsidieregeling praktijkleren bacheloropleidingen talentprogramma
masteropleiding leenstelsel studiebeurzen sectorplannen cofinanciering uitkering
techniekpacten vakmanschapsroute technologieroute kennisbasis onderwijsinspectie peilingen
leerprestaties instrumentarium meerjarenplan bedrijfsleven ambassadeurs gastdocenten
techniekcoaches wedstrijden vaktalent stagebank vacaturebank werkplekken kwalificatiedossier
diploma mentoren decanen ouderavond netwerkdag regiovisie topsector campagne voorlichting
kenniswerkers onderzoekers promovendi trainees lesmateriaal proeftuin werkplaats
laboratorium innovatiecentrum platform monitor evaluatie pilotscholen experimenten convenant
akkoord agenda lerarenregister keurmerk certificaat leerstoel fonds beurzenprogramma toelage
uitwisseling herinstroom uitstroom arbeidsmarkt vraagsturing opleidingsaanbod
praktijkopleider instructeur zomerschool robotica programmeren maakonderwijs duurzaamheid
energietransitie waterbouw scheepsbouw luchtvaart chemie procesindustrie installatietechniek
metaalbewerking elektrotechniek mechatronica bouwplaats infrastructuur logistiek
havenbedrijf zorgtechnologie voedseltechnologie tuinbouw veeteelt visserij mijnbouw
ruimtevaart halfgeleiders fotonica nanotechnologie
""")

# Abbreviated in the matrix, spelled out in the detail table (vocab/abbreviations.csv).
ABBREVIATED = (("WenT", "Wetenschap en Technologie"), ("PPS", "publiekprivate samenwerking"),
               ("W&T", "wetenschap en technologie"))

VERBS = _words("""
Ontwikkelen Versterken Invoeren Uitbreiden Stimuleren Opzetten Verbeteren Verhogen Oprichten
Inrichten Bevorderen Uitwerken Verkennen Opschalen Borgen Vernieuwen
""")
# The matrix names an action by a noun where the detail table uses the verb
# ('Ontwikkeling ...' / 'Ontwikkelen ...'); the linker has to match them fuzzily.
NOMINAL = {"Ontwikkeling": "Ontwikkelen", "Versterking": "Versterken", "Invoering": "Invoeren",
           "Uitbreiding": "Uitbreiden", "Stimulering": "Stimuleren", "Verbetering": "Verbeteren",
           "Verhoging": "Verhogen", "Oprichting": "Oprichten", "Bevordering": "Bevorderen",
           "Uitwerking": "Uitwerken", "Verkenning": "Verkennen", "Vernieuwing": "Vernieuwen"}
NUMBER_PREFIXES = ("1.000", "100", "€100 mln. voor", "Twintig")
ADJECTIVES = _words("""
structureel gezamenlijke regionale landelijke technische nieuwe extra betere duurzame
integrale
""")
CONNECTORS = ("voor", "in het", "van de", "met", "bij", "op", "voor het", "in de")

SUBJECTS = ("De minister", "Het kabinet", "De staatssecretaris", "Scholen", "OCW", "SBB",
            "De werkgroep", "Het ministerie", "De sector", "Instellingen", "Hogescholen",
            "Sociale partners", "De regio", "Het platform", "Vanaf 2014", "In 2015",
            "Op 12 juni", "Naar verwachting")
VERB_PHRASES = ("heeft de Tweede Kamer geïnformeerd over", "werkt aan", "start met",
                "ontwikkelt", "onderzoekt", "rapporteert over", "zet in op", "financiert",
                "evalueert", "bereidt voor", "organiseert", "stemt af over")
OBJECTS = ("de {w}", "het {w}", "de voortgang van de {w}", "een plan voor de {w}",
           "de uitvoering van het {w}",
           "een pilot met {w}", "de afspraken over {w}", "de resultaten van de {w}",
           "een regeling voor {w}", "de inzet van {w}", "nieuwe {w} in de regio",
           "het {w} samen met het bedrijfsleven")
TAILS = ("", "", " in het najaar van 2013", " voor eind 2014", " met de betrokken partijen",
         " (zie ook de brief van 13 maart 2013)", " in overleg met de VO-raad",
         " via W&T-netwerken")
STATUS_WORDS = _words("""
techniekonderwijs bètaonderwijs lerarenbeleid examens stages leerwerkplekken instroom
kwaliteit monitoring programma onderzoek vakmanschap
""")
FOOTNOTE_TEXTS = ("Kamerbrief OCW, Invulling impuls leraren tekortvakken (13 maart 2013)",
                  "Zie TK-brief, Kamerstukken II, vergaderjaar 2012-2013, 33 650, nr. 2",
                  "Rapport Commissie Van der Touw, ruimte voor ontwikkeling, juni 2013.",
                  "Brief TK 19 juni 2013",
                  "Advies verkenningscommissie Wetenschap en Techniek (2013)",
                  "Zie o.a. TK-brief, Kamerstukken II, vergaderjaar 2012-2013, 33187, nr. 15")
UNKNOWN_INITIATORS = ("Platform Bèta Techniek", "TechniekTalent.nu", "Stichting Techniekpromotie",
                      "VHTO", "UWV", "Jet-Net")
AMBITION_TITLES = ("Jong geleerd, oud gedaan",
                   "Deskundige docenten voor inspirerend techniekonderwijs",
                   "Leren in de techniek", "mensen voor de techniek behouden",
                   "Kiezen voor techniek", "Techniek in de regio")


def superscript(number: int) -> str:
    return "".join(SUPERSCRIPT[int(d)] for d in str(number))


def norm_text(text: str) -> str:
    """Compare texts without markup, bullets and layout: the pipeline turns
    paragraphs into lines, the source has them as tags; markers attach to the
    word before them."""
    text = re.sub(r"<[^>]*>", " ", text).replace("•", " ")
    # a footnote marker belongs to the word before it, however the source spaced it
    return re.sub(f"\\s+(?=[{SUPERSCRIPT}])", "", " ".join(text.split()))


# --- truth ---------------------------------------------------------------------


@dataclass
class TruthAction:
    action_id: str
    number: int
    letter: str | None
    title: str
    parties: dict[str, list[str]]
    ambition_number: int | None
    ambition_title: str | None
    detail_ref: str = ""
    detail_title: str = ""
    initiators: list[str] = field(default_factory=list)
    status: str = ""  # raw, with markup; compare with norm_text
    description: str = ""  # the whole action text, raw; compare with norm_text
    footnotes: list[int] = field(default_factory=list)


@dataclass
class TruthFootnote:
    number: int
    printed: str
    text: str
    referenced_by: list[str] = field(default_factory=list)


@dataclass
class Truth:
    seed: int
    title_line: str
    annex_id: str
    years: tuple[int, ...]
    actions: list[TruthAction]
    footnotes: list[TruthFootnote]
    # (table, row_ref, field, original, corrected) the pipeline should report
    corrections: set[tuple[str, str, str, str, str]]
    quirks: list[str]  # what was rendered how, for failure messages


@dataclass
class _Detail:
    """One detail row to render."""

    number: int
    letters: tuple[str, ...]  # () for none
    title: str  # the long title (for embedded rows: the head text only)
    items: dict[str, str]  # embedded sub-items
    initiators_printed: list[str]
    initiator_sep: str
    status: str  # raw status with markup and markers
    status_mode: str  # "plain" or "p"
    footnotes: list[int]
    actions: list[TruthAction]
    # how the misalignment generator prints it (defaults: as the base generator does)
    letters_printed: str | None = None  # e.g. 'b, c', 'b-c', 'b en c'
    key_in_one_cell: bool = False  # '6b-c' in the number cell
    item_style: str = "running"  # embedded sub-items: see ITEM_STYLES
    group: tuple[int | None, str] | None = None  # for rows without actions (extra rows)


# --- generation ------------------------------------------------------------------


class _Gen:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.quirks: list[str] = []
        self.words = list(CORE_WORDS)
        self.rng.shuffle(self.words)
        self.footnotes: list[TruthFootnote] = []
        self.corrections: set[tuple[str, str, str, str, str]] = set()
        self.initiators = vocab.initiators()

    def note(self, text: str) -> None:
        self.quirks.append(text)

    def take_word(self) -> str:
        return self.words.pop()

    # titles

    def short_title(self) -> tuple[str, list[str], str | None]:
        """(matrix title, its content words as the detail text should contain them,
        the verb the detail title should start with)."""
        rng = self.rng
        n = rng.randint(1, 3)
        words = [self.take_word() for _ in range(n)]
        parts: list[str] = []
        detail_words: list[str] = []
        verb = None
        if rng.random() < 0.25:
            noun = rng.choice(list(NOMINAL))
            verb = NOMINAL[noun]
            parts.append(noun)
            self.note(f"title '{noun} ...' / detail '{verb} ...'")
        elif rng.random() < 0.06:
            prefix = rng.choice(NUMBER_PREFIXES)
            parts.append(prefix)
            detail_words.append(prefix)
            self.note(f"title starts with {prefix!r}")
        for index, word in enumerate(words):
            if index:
                parts.append(rng.choice(CONNECTORS))
            parts.append(word)
            detail_words.append(word)
        if rng.random() < 0.12:
            short, long = rng.choice(ABBREVIATED)
            parts += [rng.choice(("in", "voor")), short]
            detail_words.append(long)
        title = " ".join(parts)
        title = title[0].upper() + title[1:]
        if rng.random() < 0.1:
            title += "."
        return title, detail_words, verb

    def long_title(self, detail_words: list[str], verb: str | None = None) -> str:
        rng = self.rng
        parts = [verb or rng.choice(VERBS)]
        if rng.random() < 0.5:
            parts.append(rng.choice(ADJECTIVES))
        for index, word in enumerate(detail_words):
            if index:
                parts.append(rng.choice(CONNECTORS))
            parts.append(word.lower() if rng.random() < 0.5 else word)
        if rng.random() < 0.6:
            parts += [rng.choice(CONNECTORS), rng.choice(ADJECTIVES), self.take_word()]
        if rng.random() < 0.2:
            parts.append(f"({rng.choice(('vmbo-mbo', 'po en vo', 'hbo en wo'))})")
        return " ".join(parts)

    # parties

    def parties(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        rng = self.rng
        truth: dict[str, list[str]] = {}
        printed: dict[str, str] = {}
        truth["employers"] = ["wg"] if rng.random() < 0.6 else []
        truth["employees"] = ["wn"] if rng.random() < 0.45 else []
        roll = rng.random()
        education_codes = ["po", "vo", "mbo", "hbo", "wo", "ho", "nrto"]
        if roll < 0.1:
            truth["education"] = []
        elif roll < 0.2:
            truth["education"] = ["alle"]
        else:
            k = rng.randint(1, 3)
            truth["education"] = sorted(rng.sample(education_codes, k),
                                        key=education_codes.index)
        truth["regions"] = ["regio's"] if rng.random() < 0.4 else []
        k = rng.choice((0, 1, 1, 1, 2, 2, 3))
        truth["ministries"] = sorted(rng.sample(["ocw", "ez", "szw"], k),
                                     key=["ocw", "ez", "szw"].index)
        for group in PARTY_GROUPS:
            codes = list(truth[group])
            shown = []
            for code in codes:
                if code == "nrto" and rng.random() < 0.5:
                    shown.append("nrtto")
                elif code == "regio's" and rng.random() < 0.3:
                    shown.append("regio’s")
                else:
                    shown.append(code)
            sep = " " if rng.random() < 0.7 else ", "
            printed[group] = sep.join(shown)
        return truth, printed

    # initiators

    def pick_initiators(self) -> tuple[list[str], list[str], str]:
        """(canonical names, printed spellings, separator)."""
        rng = self.rng
        k = 1 if rng.random() < 0.7 else 2
        chosen = rng.sample(self.initiators, k)
        printed = []
        for position, entry in enumerate(chosen):
            spellings = [entry.name, *entry.aliases]
            name = rng.choice(spellings) if rng.random() < 0.35 else entry.name
            if rng.random() < (0.3 if position else 0.08) and " " in name or (
                    entry.name == "Topsectoren" and rng.random() < 0.5):
                name = name.lower()  # 'Vereniging Hogescholen/ technische werkgevers'
            printed.append(name)
        separator = rng.choice(("/ ", ", ", "/ ", ", ", "/", " en "))
        return [e.name for e in chosen], printed, separator

    # statuses

    def sentence(self) -> str:
        rng = self.rng
        obj = rng.choice(OBJECTS).format(w=rng.choice(STATUS_WORDS))
        return f"{rng.choice(SUBJECTS)} {rng.choice(VERB_PHRASES)} {obj}{rng.choice(TAILS)}."

    def status(self) -> tuple[str, str, list[int], list[str]]:
        """(raw status, mode, footnote numbers, footnote markers printed in it)."""
        rng = self.rng
        mode = "p" if rng.random() < 0.45 else "plain"
        paragraphs = [[self.sentence() for _ in range(rng.randint(1, 2))]
                      for _ in range(rng.randint(1, 2 if mode == "p" else 1))]
        numbers: list[int] = []
        # footnote markers after some sentences
        for paragraph in paragraphs:
            for index in range(len(paragraph)):
                if rng.random() < 0.12 and len(self.footnotes) < 12:
                    number = len(self.footnotes) + 1
                    marker = superscript(number)
                    glue = rng.choice(("", " "))
                    paragraph[index] = paragraph[index] + glue + marker
                    numbers.append(number)
                    doubled = number < 10 and rng.random() < 0.2
                    printed = marker * 2 if doubled else marker
                    if doubled:
                        self.note(f"footnote {number} printed doubled")
                        self.corrections.add(("footnotes", str(number), "footnote_number",
                                              printed, str(number)))
                    self.footnotes.append(TruthFootnote(number, printed,
                                                        rng.choice(FOOTNOTE_TEXTS)))
        bullets = ""
        if rng.random() < 0.15:
            items = [self.sentence().rstrip(".") + ";" for _ in range(rng.randint(2, 3))]
            bullets = " ".join(f"• {item}" for item in items)
            if mode == "p" or rng.random() < 0.5:
                bullets = '<ul style="list-style-type: none"> ' + bullets
            else:
                bullets = "Monitoring/mijlpalen: " + bullets
        if mode == "p":
            text = " ".join(f"<p>{' '.join(p)}</p>" for p in paragraphs)
        else:
            text = " ".join(" ".join(p) for p in paragraphs)
        if bullets:
            text += " " + bullets
        return text, mode, numbers, []


def generate(seed: int) -> tuple[str, Truth]:
    g, title_line, groups, actions, details, truth = _build(seed)
    text = _render(g, title_line, groups, actions, details)
    _done(actions)
    return text, truth


def _done(actions: list[TruthAction]) -> None:
    for action in actions:
        del action._printed_parties  # type: ignore[attr-defined]


def _build(seed: int):
    """The truth of one annex and the detail rows to render, before rendering."""
    g = _Gen(seed)
    rng = g.rng

    # -- the truth: ambitions, actions, detail rows
    n_ambitions = rng.randint(2, 4)
    n_actions = rng.randint(8, 25)
    regional = rng.random() < 0.3
    ambition_titles = rng.sample(AMBITION_TITLES, n_ambitions)
    groups: list[tuple[int | None, str]] = [(i + 1, t) for i, t in enumerate(ambition_titles)]
    if regional:
        groups.append((None, "Regionale uitvoering"))
    # numbers: each a plain action or a run of lettered ones
    numbers: list[list[str | None]] = []
    count = 0
    while count < n_actions:
        if rng.random() < 0.55 or n_actions - count < 2:
            letters: list[str | None] = [None]
        else:
            k = min(rng.randint(2, 5), n_actions - count)
            letters = list("abcdefghij"[:k])
        numbers.append(letters)
        count += len(letters)
    # spread numbers over the groups (each group at least one number)
    n_groups = len(groups)
    if len(numbers) < n_groups:
        groups = groups[: len(numbers)]
        n_groups = len(groups)
    cuts = sorted(rng.sample(range(1, len(numbers)), n_groups - 1)) if n_groups > 1 else []
    bounds = [0, *cuts, len(numbers)]
    group_of_number = {}
    for g_index in range(n_groups):
        for n_index in range(bounds[g_index], bounds[g_index + 1]):
            group_of_number[n_index + 1] = g_index

    actions: list[TruthAction] = []
    short_words: dict[str, list[str]] = {}
    verbs: dict[str, str | None] = {}
    for n_index, letters in enumerate(numbers):
        number = n_index + 1
        amb_number, amb_title = groups[group_of_number[number]]
        for letter in letters:
            title, words, verb = g.short_title()
            parties, _printed = g.parties()
            action = TruthAction(f"{number}{letter or ''}", number, letter, title, parties,
                                 amb_number, amb_title)
            action._printed_parties = _printed  # type: ignore[attr-defined]
            actions.append(action)
            short_words[action.action_id] = words
            verbs[action.action_id] = verb

    details: list[_Detail] = []
    by_number: dict[int, list[TruthAction]] = {}
    for action in actions:
        by_number.setdefault(action.number, []).append(action)
    for number, group in by_number.items():
        lettered = group[0].letter is not None
        if lettered and len(group) >= 2 and rng.random() < 0.1:
            # one row, the actions as embedded sub-items
            head = f"{rng.choice(VERBS)} {rng.choice(ADJECTIVES)} {g.take_word()} " \
                   f"{rng.choice(CONNECTORS)} {g.take_word()}."
            items = {}
            for action in group:
                words = short_words[action.action_id]
                item = g.long_title(words, verbs[action.action_id])
                items[action.letter] = item[0].lower() + item[1:]
            details.append(_new_detail(g, number, (), head, items, group))
            g.note(f"detail {number}: embedded sub-items {''.join(items)}")
            continue
        index = 0
        while index < len(group):
            action = group[index]
            pair = group[index: index + 2]
            if lettered and len(pair) == 2 and rng.random() < 0.15:
                second_verb = verbs[pair[1].action_id]
                words = [*short_words[pair[0].action_id],
                         *([second_verb.lower()] if second_verb else []),
                         *short_words[pair[1].action_id]]
                title = g.long_title(words, verbs[pair[0].action_id])
                letters = (pair[0].letter, pair[1].letter)
                details.append(_new_detail(g, number, letters, title, {}, pair))
                g.note(f"detail {number}{letters[0]}+{letters[1]}: combined row")
                index += 2
                continue
            title = g.long_title(short_words[action.action_id], verbs[action.action_id])
            letters = (action.letter,) if action.letter else ()
            details.append(_new_detail(g, number, letters, title, {}, [action]))
            index += 1

    # -- truth fields of the actions from their detail rows
    for detail in details:
        ref = ("+".join(f"{detail.number}{x}" for x in detail.letters)
               if detail.letters else str(detail.number))
        for action in detail.actions:
            action.detail_ref = ref
            action.detail_title = (detail.items[action.letter] if detail.items
                                   else detail.title)
            action.initiators = list(detail._canonical)  # type: ignore[attr-defined]
            action.status = detail.status
            action.footnotes = sorted(detail.footnotes)
            for number in detail.footnotes:
                note = g.footnotes[number - 1]
                if action.action_id not in note.referenced_by:
                    note.referenced_by.append(action.action_id)

    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.choice((2013, 2014, 2015))
    title_line = (f"Bijlage 2: Overzicht van de acties uit het Techniekpact zoals vastgesteld "
                  f"in de LRT van {day} {MONTHS[month - 1]} {year}")
    # footnotes referenced by no action: none are generated, all come from statuses
    truth = Truth(seed, title_line, f"techniekpact-{year}-{month:02d}-{day:02d}", YEARS,
                  actions, g.footnotes, g.corrections, g.quirks)
    return g, title_line, groups, actions, details, truth


def _new_detail(g: _Gen, number: int, letters: tuple[str, ...], title: str,
                items: dict[str, str], actions: list[TruthAction]) -> _Detail:
    canonical, printed, sep = g.pick_initiators()
    status, mode, footnotes, _ = g.status()
    detail = _Detail(number, letters, title, items, printed, sep, status, mode, footnotes,
                     actions)
    detail._canonical = canonical  # type: ignore[attr-defined]
    return detail


# --- rendering --------------------------------------------------------------------


def _render(g: _Gen, title_line: str, groups, actions: list[TruthAction],
            details: list[_Detail]) -> str:
    rng = g.rng
    lines = ["", "", title_line, "", MATRIX_HEADER_1, MATRIX_HEADER_2]
    current_group = object()
    for action in actions:
        group = (action.ambition_number, action.ambition_title)
        if group != current_group:
            current_group = group
            label = (f"Ambitie {group[0]}: {group[1]}" if group[0] is not None else group[1])
            lines.append(label + "\t" * 22)
        lines.extend(_matrix_lines(g, action))
        for group_name, printed in action._printed_parties.items():  # type: ignore[attr-defined]
            if "nrtto" in printed.split(" ") or "nrtto" in printed.split(", "):
                g.corrections.add(("action_parties", action.action_id, group_name,
                                   "nrtto", "nrto"))
    lines.append("")
    _DetailRenderer(g, lines).render(details, groups)
    return "\n".join(lines) + ("\n" if rng.random() < 0.7 else "")


def _matrix_lines(g: _Gen, action: TruthAction) -> list[str]:
    rng = g.rng
    title = action.title
    wrapped = None
    words = title.split(" ")
    if len(words) >= 3 and rng.random() < 0.08:
        cut = rng.randint(1, len(words) - 1)
        title, wrapped = " ".join(words[:cut]), " ".join(words[cut:])
        g.note(f"matrix {action.action_id}: title wrapped onto a second line")
    if action.letter is None:
        key, cell = str(action.number), title
    elif action.letter == "a":
        if rng.random() < 0.8:
            key, cell = str(action.number), f"a {title}"
            g.note(f"matrix {action.action_id}: letter glued to title")
        else:
            key, cell = f"{action.number}a", title
            g.note(f"matrix {action.action_id}: key cell '{key}'")
    elif rng.random() < 0.1:
        key, cell = f"{action.number}{action.letter}", title
        g.note(f"matrix {action.action_id}: key cell '{key}'")
    else:
        key, cell = action.letter, title
    printed = action._printed_parties  # type: ignore[attr-defined]
    cells = [key, cell, *(printed[group] for group in PARTY_GROUPS), *[""] * 16]
    out = ["\t".join(cells)]
    if wrapped:
        out.append("\t" + wrapped + "\t" * 21)
    return out


class _DetailRenderer:
    def __init__(self, g: _Gen, lines: list[str]) -> None:
        self.g = g
        self.rng = g.rng
        self.lines = lines
        self.columns = 4
        self.pending: list[int] = []  # footnotes printed on the current page
        self.on_page = 0
        self.page_size = self.rng.randint(2, 5)
        self.page_number = self.rng.randint(2, 9)

    def emit(self, line: str) -> None:
        for marker in re.findall(f"[{SUPERSCRIPT}]+", line):
            number = int(marker.translate(str.maketrans(SUPERSCRIPT, "0123456789")))
            if number not in self.pending:
                self.pending.append(number)
        self.lines.append(line)

    def page_break(self) -> None:
        self.footnote_lines()
        if self.rng.random() < 0.15:
            self.lines += [str(self.page_number), ""]
            self.g.note(f"page number {self.page_number}")
        self.page_number += 1
        self.columns = 4 if self.rng.random() < 0.6 else 5
        self.lines.append(DETAIL_HEADER[self.columns])
        self.on_page = 0
        self.page_size = self.rng.randint(2, 5)

    def footnote_lines(self) -> None:
        self.lines.append("")
        for number in self.pending:
            note = self.g.footnotes[number - 1]
            self.lines += [f"{note.printed} {note.text}", ""]
        self.pending = []

    def render(self, details: list[_Detail], groups) -> None:
        rng = self.rng
        self.lines.append(DETAIL_HEADER[4])
        current_group = None
        previous_number = None
        for index, detail in enumerate(details):
            group = detail.group or (detail.actions[0].ambition_number,
                                     detail.actions[0].ambition_title)
            if group != current_group:
                current_group = group
                if group[0] is not None:
                    self.lines.append(f"Ambitie {group[0]}: {group[1]}" + "\t" * (self.columns - 1))
                elif rng.random() < 0.5:
                    self.lines.append(group[1] + "\t" * (self.columns - 1))
            last = index == len(details) - 1
            self.on_page += 1
            breaks_after = not last and self.on_page >= self.page_size
            self.row(detail, detail.number != previous_number, breaks_after)
            previous_number = detail.number
        if self.pending:
            self.footnote_lines()

    def row(self, d: _Detail, new_number: bool, breaks_after: bool) -> None:
        rng, g = self.rng, self.g
        ref = f"{d.number}{''.join(d.letters)}"
        letters = d.letters_printed or " ".join(d.letters)
        action_text = _with_items(d.title, d.items, d.item_style) if d.items else d.title
        # A row without letters always prints its number, or it would read as a
        # continuation (rows moved by the misalignment generator can meet).
        key = str(d.number) if (new_number or not d.letters or rng.random() < 0.1) else ""
        form = rng.choices(("cell", "glued", "p", "alone", "none"),
                           weights=(30, 35, 20, 10, 8))[0]
        if form == "p" and d.status_mode != "p":
            form = "glued"
        if form == "none":
            d._canonical.clear()  # type: ignore[attr-defined]
            for action in d.actions:
                action.initiators = []
        if form in ("cell", "p") and rng.random() < 0.06:
            # a name the vocabulary does not know: kept as printed
            unknown = rng.choice(UNKNOWN_INITIATORS)
            d.initiators_printed = [*d.initiators_printed, unknown]
            for action in d.actions:
                action.initiators = [*action.initiators, unknown]
            g.note(f"detail {ref}: unknown initiator {unknown!r}")
        initiator = d.initiator_sep.join(d.initiators_printed)
        g.note(f"detail {ref}: initiator form {form!r}, status {d.status_mode}")
        # how the key cells look: '1<TAB>a', '<TAB>b', '1<TAB><TAB>' or '1' alone
        if d.letters and d.key_in_one_cell:
            joiner = " " if rng.random() < 0.3 else ""
            lead = [f"{d.number}{joiner}{letters}", ""] if rng.random() < 0.5 \
                else [f"{d.number}{joiner}{letters}"]
        elif d.letters:
            lead = [key, letters]
        elif rng.random() < 0.2 and form in ("cell", "glued", "p"):
            lead = [key]  # row 9 of the real file: no letter cell at all
            g.note(f"detail {ref}: no letter cell")
        else:
            lead = [key, ""]
        split = breaks_after and not d.items and rng.random() < 0.6
        title_split = split and form in ("cell", "glued", "p") and rng.random() < 0.3 and \
            len(action_text.split()) >= 3
        title_1, title_2 = action_text, ""
        if title_split:
            words = action_text.split()
            cut = rng.randint(1, len(words) - 1)
            title_1, title_2 = " ".join(words[:cut]), " ".join(words[cut:])
            g.note(f"detail {ref}: action text continues after the page break")
        status_1, status_2 = (_split_status(rng, d.status) if split else (d.status, ""))
        if split:
            g.note(f"detail {ref}: status continues after the page break")
        # paragraphs of description after the title, in a middle cell of a continuation
        # line (row 21b of the real file), possibly cut by the page break
        description = ""
        if not title_split and not d.items and rng.random() < 0.12:
            items = " ".join(f"• {g.sentence()}" for _ in range(rng.randint(1, 3)))
            description = (f"<p>Mogelijke onderdelen van de {rng.choice(STATUS_WORDS)} zijn:</p>"
                           f' <ul style="list-style-type: none"> {items}')
            g.note(f"detail {ref}: description paragraphs on a continuation line")
        desc_1, desc_2 = description, ""
        if description and split and rng.random() < 0.5:
            desc_1, desc_2 = _split_status(rng, description)
            g.note(f"detail {ref}: description continues after the page break")
        for action in d.actions:
            action.description = action_text + (" " + description if description else "")
        if form == "cell":
            self.emit("\t".join([*lead, title_1, initiator, status_1]))
        elif form == "glued":
            self.emit("\t".join([*lead, title_1, f"{initiator} {status_1}"]))
        elif form == "p":
            self.emit("\t".join([*lead, title_1, f"<p>{initiator}</p> {status_1}"]))
        elif form == "none":
            self.emit("\t".join([*lead, title_1, "", status_1]))
        else:  # alone: the initiator fills the last cell, the status comes on the next line
            self.emit("\t".join([*lead, title_1, initiator]))
            if desc_1:
                self.emit("\t" * (self.columns - 2) + desc_1 + "\t" + status_1)
            else:
                self.emit("\t" * (self.columns - 1) + status_1)
        if desc_1 and form != "alone":
            self.emit("\t" * (self.columns - 2) + desc_1 + "\t")
        if breaks_after:
            self.page_break()
        if split:
            if title_2:
                self.emit("\t" + title_2 + "\t" * (self.columns - 2) + status_2)
            elif desc_2:
                self.emit("\t" * (self.columns - 2) + desc_2 + "\t" + status_2)
            else:
                self.emit("\t" * (self.columns - 1) + status_2)


# Embedded sub-items: labels 'a.', 'a)', '(a)' in running text, in paragraphs of their
# own, or as list items.
ITEM_STYLES = ("running", "running-paren", "running-both", "paragraphs", "ol", "li-labelled")


def _with_items(head: str, items: dict[str, str], style: str) -> str:
    if style == "running":
        return head + " " + " ".join(f"{x}. {t}" for x, t in items.items())
    if style == "running-paren":
        return head + " " + " ".join(f"{x}) {t}" for x, t in items.items())
    if style == "running-both":
        return head + " " + " ".join(f"({x}) {t}" for x, t in items.items())
    if style == "paragraphs":
        return f"<p>{head}</p> " + " ".join(f"<p>{x}. {t}</p>" for x, t in items.items())
    if style == "ol":
        start = ord(next(iter(items))) - ord("a") + 1
        return (f"<p>{head}</p> <ol type=\"a\" start=\"{start}\">"
                + "".join(f"<li>{t}</li>" for t in items.values()) + "</ol>")
    return f"<p>{head}</p> <ul>" + "".join(f"<li>{x}) {t}</li>" for x, t in items.items()) \
        + "</ul>"


def _split_status(rng: random.Random, status: str) -> tuple[str, str]:
    """Cut a status at a space outside tags, as a page break does. Inside a <p>,
    close the paragraph before the cut and open one after, as the exporter does."""
    spaces = []
    depth = 0
    for i, ch in enumerate(status):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == " " and depth == 0:
            before = status[:i]
            inside = before.count("<p>") > before.count("</p>")
            spaces.append((i, inside))
    spaces = [(i, inside) for i, inside in spaces
              if norm_text(status[:i]) and norm_text(status[i:])]
    if not spaces:
        return status, ""
    i, inside = rng.choice(spaces)
    first, second = status[:i], status[i + 1:]
    if inside:
        first, second = first + "</p>", "<p>" + second
    return first, second


# --- misalignment ---------------------------------------------------------------
# The detail table of another annex version rarely lines up with its matrix the way
# the 2013 one does. generate_misaligned(seed) takes a generated annex and changes its
# detail table in the ways versions differ, keeping the true link of every action.

STRUCTURE_OPS = ("merge", "split", "items", "shift", "renumber")
ORDER_OPS = ("swap", "swap", "move", "move", "delete", "insert", "decoy")
PRINT_OPS = ("notation", "one-cell", "brackets", "parens")
LETTER_NOTATIONS = (" ", ", ", "/", " en ", " & ", "-")


@dataclass
class LinkTruth:
    # action_id -> (detail_ref as published, embedded item letter or None), or None
    # when its detail row was deleted: the action must come out unlinked.
    expected: dict[str, tuple[str, str | None] | None]
    unused: list[str]  # detail refs of inserted rows that no action may use
    operations: list[str]


def _ref(d: _Detail) -> str:
    return "+".join(f"{d.number}{x}" for x in d.letters) if d.letters else str(d.number)


def _content_words(title: str) -> list[str]:
    return [w.strip(".,;()") for w in title.split() if len(w.strip(".,;()")) > 3]


def generate_misaligned(seed: int) -> tuple[str, Truth, LinkTruth]:
    g, title_line, groups, actions, details, truth = _build(seed)
    rng = random.Random(f"misalign-{seed}")
    ops = sorted(set(rng.choices((*STRUCTURE_OPS, *ORDER_OPS, *PRINT_OPS), k=rng.randint(2, 6))),
                 key=lambda op: (op not in STRUCTURE_OPS, op not in ORDER_OPS, op))
    done: list[str] = []
    deleted: list[TruthAction] = []
    inserted: list[_Detail] = []
    brackets = None
    for op in ops:
        note = _misalign(op, g, rng, details, deleted, inserted)
        if op in ("brackets", "parens"):
            brackets = "[]" if op == "brackets" else "()"
            note = f"footnote markers printed {brackets[0]}n{brackets[1]}"
        if note:
            done.append(note)
    text = _render(g, title_line, groups, actions, details)
    if brackets:
        text = _bracket_markers(text, brackets)
    _done(actions)
    expected: dict[str, tuple[str, str | None] | None] = {a.action_id: None for a in actions}
    for d in details:
        for action in d.actions:
            item_of = getattr(d, "_item_of", {})
            item = item_of.get(action.action_id, action.letter) if d.items else None
            expected[action.action_id] = (_ref(d), item)
    truth.quirks[:0] = [f"misaligned: {x}" for x in done]
    return text, truth, LinkTruth(expected, [_ref(d) for d in inserted], done)


def _misalign(op: str, g: _Gen, rng: random.Random, details: list[_Detail],
              deleted: list[TruthAction], inserted: list[_Detail]) -> str | None:
    plain = [i for i, d in enumerate(details) if not d.items and d.actions]
    if op == "merge":
        pairs = [i for i in range(len(details) - 1)
                 if len(details[i].letters) == 1 and len(details[i + 1].letters) == 1
                 and details[i].number == details[i + 1].number
                 and not details[i].items and not details[i + 1].items]
        if not pairs:
            return None
        i = rng.choice(pairs)
        first, second = details[i], details.pop(i + 1)
        first.letters = (*first.letters, *second.letters)
        first.title = f"{first.title} en {second.title[0].lower()}{second.title[1:]}"
        first.actions = [*first.actions, *second.actions]
        return f"rows {first.number}{first.letters[0]} and {first.number}{first.letters[1]} merged"
    if op == "split":
        combined = [i for i, d in enumerate(details) if len(d.letters) >= 2 and not d.items]
        if not combined:
            return None
        i = rng.choice(combined)
        d = details.pop(i)
        for offset, (letter, action) in enumerate(zip(d.letters, d.actions, strict=True)):
            part = _new_detail(g, d.number, (letter,),
                               g.long_title(_content_words(action.title)), {}, [action])
            details.insert(i + offset, part)
        return f"combined row {d.number}{''.join(d.letters)} split"
    if op == "items":
        numbers = sorted({d.number for d in details if len(d.letters) == 1 and not d.items})
        candidates = [n for n in numbers
                      if sum(1 for d in details if d.number == n) >= 2
                      and all(len(d.letters) == 1 for d in details if d.number == n)]
        if not candidates:
            for d in details:
                if d.items:
                    d.item_style = rng.choice(ITEM_STYLES)
            return None
        n = rng.choice(candidates)
        rows = [d for d in details if d.number == n]
        head = f"{rng.choice(VERBS)} {rng.choice(ADJECTIVES)} {g.take_word()} " \
               f"{rng.choice(CONNECTORS)} {g.take_word()}."
        items = {d.letters[0]: d.title[0].lower() + d.title[1:] for d in rows}
        row = _new_detail(g, n, (), head, items, [a for d in rows for a in d.actions])
        row.item_style = rng.choice(ITEM_STYLES)
        row._item_of = {a.action_id: d.letters[0]  # type: ignore[attr-defined]
                        for d in rows for a in d.actions}
        at = details.index(rows[0])
        details[:] = [d for d in details if d not in rows]
        details.insert(at, row)
        return f"rows of {n} as embedded sub-items ({row.item_style})"
    if op == "shift":
        numbers = sorted({d.number for d in details if d.letters and not d.items
                          and all(x < "j" for x in d.letters)})
        if not numbers:
            return None
        n = rng.choice(numbers)
        step = rng.choice((1, 1, 2))
        for d in details:
            if d.number == n:
                d.letters = tuple(chr(ord(x) + step) for x in d.letters)
        return f"letters of {n} shifted by {step}"
    if op == "renumber":
        numbers = sorted({d.number for d in details})
        k = rng.choice(numbers)
        for d in details:
            if d.number >= k:
                d.number += 1
        return f"detail rows from {k} on renumbered +1"
    if op == "swap" and len(details) >= 2:
        i = rng.randrange(len(details) - 1)
        j = i + 1 if rng.random() < 0.5 else rng.randrange(len(details))
        if i == j:
            return None
        details[i], details[j] = details[j], details[i]
        return f"rows {_ref(details[j])} and {_ref(details[i])} swapped"
    if op == "move" and len(details) >= 2:
        d = details.pop(rng.randrange(len(details)))
        details.insert(rng.randrange(len(details) + 1), d)
        return f"row {_ref(d)} moved"
    # A row a decoy imitates stays: without it the decoy is the action's best
    # description, and no truth could say otherwise.
    plain = [i for i in plain if not getattr(details[i], "_imitated", False)]
    if op == "delete" and len(plain) >= 3:
        d = details.pop(rng.choice(plain))
        deleted.extend(d.actions)
        return f"row {_ref(d)} deleted"
    if op == "insert":
        number = max(d.number for d in details) + 1 if rng.random() < 0.5 \
            else rng.choice(details).number
        words = [g.take_word() for _ in range(rng.randint(2, 3))]
        title = g.long_title(words)
        at = rng.randrange(len(details) + 1)
        neighbour = details[min(at, len(details) - 1)]
        extra = _new_detail(g, number, (), title, {}, [])
        extra.group = neighbour.group or (neighbour.actions[0].ambition_number,
                                          neighbour.actions[0].ambition_title)
        details.insert(at, extra)
        inserted.append(extra)
        return f"extra row {_ref(extra)} inserted"
    if op == "decoy" and plain:
        # An extra row that shares part of a real row's words and may carry its key:
        # the linker must still prefer the row that describes the action.
        real = details[rng.choice(plain)]
        real._imitated = True  # type: ignore[attr-defined]
        words = real.title.split()
        keep = rng.sample(words, max(1, len(words) // 3))
        title = " ".join([*keep, *(g.take_word() for _ in range(rng.randint(2, 3)))])
        letters = real.letters if rng.random() < 0.5 else ()
        extra = _new_detail(g, real.number, letters, title, {}, [])
        extra.group = real.group or (real.actions[0].ambition_number,
                                     real.actions[0].ambition_title)
        details.insert(rng.randrange(len(details) + 1), extra)
        inserted.append(extra)
        return f"decoy row {_ref(extra)} sharing words with {_ref(real)} inserted"
    if op == "notation":
        for d in details:
            if len(d.letters) >= 2:
                separator = rng.choice(LETTER_NOTATIONS)
                consecutive = all(ord(b) == ord(a) + 1
                                  for a, b in zip(d.letters, d.letters[1:], strict=False))
                if separator == "-":
                    d.letters_printed = (f"{d.letters[0]}-{d.letters[-1]}" if consecutive
                                         else ", ".join(d.letters))
                else:
                    d.letters_printed = separator.join(d.letters)
        return "combined keys printed in other notations"
    if op == "one-cell":
        for d in details:
            if d.letters and rng.random() < 0.6:
                d.key_in_one_cell = True
        return "keys printed in one cell ('6b-c', '8 d/e', '1a')"
    return None


def _bracket_markers(text: str, brackets: str) -> str:
    """Every superscript marker printed as '[n]' or '(n)', on footnote lines too."""
    table = str.maketrans(SUPERSCRIPT, "0123456789")
    return re.sub(f"[{SUPERSCRIPT}]+",
                  lambda m: brackets[0] + m.group(0).translate(table) + brackets[1], text)


if __name__ == "__main__":
    text, truth = generate(int(sys.argv[1]))
    sys.stdout.write(text)
    if len(sys.argv) > 2:
        for action in truth.actions:
            print(action, file=sys.stderr)
        print(truth.quirks, file=sys.stderr)
