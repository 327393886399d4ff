"""Signaleringsoverleg part of the Leiden demo set: an overleg in every district, its members, 18 months of meetings
and about 450 signals with their discussions, actions and timelines.

Synthetic throughout: people, residents and stories come from a seeded random generator, and dates are relative to
today so that the demo always looks current. Rows are written directly, in bulk, instead of through the services:
every service step writes an access-log row, and a demo should not fill the privacy officer's log with thousands of
made-up accesses. The timeline events copy what the services write (`_event`, `signal_transition`,
`discussion_save` in signalering/services.py), so the screens cannot tell demo history from real history.
"""

import bisect
import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from meedoen.accounts.demo import DEMO_PASSWORD
from meedoen.accounts.models import (
    District,
    DistrictMembership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from meedoen.accounts.services import membership_set, user_create
from meedoen.core.workdays import add_working_days, is_working_day
from meedoen.privacy.models import Resident
from signalering.models import Action, ConcernCategory, Discussion, Event, Meeting, MeetingSeries, Signal
from signalering.services import meetings_plan
from signalering.workflow import Outcome, Status, can_transition

SEED = 546  # Leiden's municipality code; any fixed number gives the same demo for the same day
PERIOD_DAYS = 548  # 18 months of history
PLAN_WEEKS = 12  # planned meetings ahead
FOLLOW_UP_GAP = datetime.timedelta(days=24)  # a follow-up discussion comes about four weeks after the previous one
RUNNING = datetime.timedelta(hours=3)  # how long a meeting may last; discussions are logged during it

SOCIAL_TEAM = "Sociaal Wijkteam Leiden"
POLICE = "Politie – wijkagenten Leiden"
GGZ = "GGZ Rivierduinen"
BRIJDER = "Brijder Verslavingszorg"
GP = "Huisartsenpraktijk De Vest"
ONS_DOEL = "Woningcorporatie Ons Doel"
DE_SLEUTELS = "Woningstichting De Sleutels"
PORTAAL = "Portaal Leiden"
LUMEN = "Stichting Lumen"
MATILO = "Libertas Leiden – Huis van de Buurt Matilo"

FEATURED_PROFESSIONAL = "wijkteam"  # accounts' demo users that must find plenty to do
FEATURED_CHAIR = "voorzitter"


@dataclass(frozen=True)
class _Overleg:
    prefix: str  # usernames: "<prefix>.<seat>"
    signals: int
    weekday: int
    start: datetime.time
    interval_weeks: int
    location: str
    seats: tuple[tuple[str, str], ...]  # (seat, organisation); the first chairs unless the district has a chair


# More signals in the inner city and Leiden-Noord, as in the real project; the total is the project's ~450.
OVERLEGGEN = {
    "Binnenstad-Noord": _Overleg(
        "bn", 65, 1, datetime.time(10, 0), 2, "Wijkteamkantoor Binnenstad",
        (("wijkteam", SOCIAL_TEAM), ("wijkagent", POLICE), ("ggz", GGZ), ("verslavingszorg", BRIJDER),
         ("woningcorporatie", ONS_DOEL), ("welzijn", LUMEN)),
    ),
    "Binnenstad-Zuid": _Overleg(
        "bz", 70, 3, datetime.time(9, 30), 2, "Wijkteamkantoor Binnenstad",
        (("wijkagent", POLICE), ("ggz", GGZ), ("verslavingszorg", BRIJDER), ("woningcorporatie", DE_SLEUTELS),
         ("huisarts", GP)),
    ),
    "Stationsdistrict": _Overleg(
        "sd", 38, 2, datetime.time(13, 30), 4, "Wijkteamkantoor Stationsdistrict",
        (("wijkteam", SOCIAL_TEAM), ("wijkagent", POLICE), ("ggz", GGZ), ("woningcorporatie", PORTAAL),
         ("welzijn", LUMEN)),
    ),
    "Leiden-Noord": _Overleg(
        "ln", 75, 0, datetime.time(10, 0), 2, "Huis van de Buurt De Kooi",
        (("wijkteam", SOCIAL_TEAM), ("wijkagent", POLICE), ("ggz", GGZ), ("verslavingszorg", BRIJDER),
         ("woningcorporatie", PORTAAL), ("huisarts", GP), ("welzijn", LUMEN)),
    ),
    "Roodenburgerdistrict": _Overleg(
        "rb", 45, 1, datetime.time(14, 0), 2, "Huis van de Buurt Matilo",
        (("welzijn", MATILO), ("wijkagent", POLICE), ("ggz", GGZ), ("woningcorporatie", DE_SLEUTELS),
         ("huisarts", GP)),
    ),
    "Bos- en Gasthuisdistrict": _Overleg(
        "bg", 30, 3, datetime.time(13, 30), 4, "Huis van de Buurt Zuidwest",
        (("wijkteam", SOCIAL_TEAM), ("wijkagent", POLICE), ("ggz", GGZ), ("woningcorporatie", DE_SLEUTELS),
         ("welzijn", LUMEN)),
    ),
    "Morsdistrict": _Overleg(
        "md", 40, 2, datetime.time(10, 0), 2, "Huis van de Buurt Morskwartier",
        (("wijkteam", SOCIAL_TEAM), ("wijkagent", POLICE), ("ggz", GGZ), ("verslavingszorg", BRIJDER),
         ("woningcorporatie", ONS_DOEL)),
    ),
    "Boerhaavedistrict": _Overleg(
        "bh", 25, 4, datetime.time(10, 0), 4, "Wijkteamkantoor Boerhaavedistrict",
        (("wijkteam", SOCIAL_TEAM), ("wijkagent", POLICE), ("huisarts", GP), ("woningcorporatie", PORTAAL)),
    ),
    "Merenwijk": _Overleg(
        "mw", 37, 0, datetime.time(13, 30), 4, "Huis van de Buurt Merenwijk",
        (("wijkteam", SOCIAL_TEAM), ("wijkagent", POLICE), ("ggz", GGZ), ("woningcorporatie", PORTAAL),
         ("welzijn", LUMEN)),
    ),
    "Stevenshof": _Overleg(
        "sh", 25, 3, datetime.time(10, 0), 4, "Huis van de Buurt Stevenshof",
        (("wijkteam", SOCIAL_TEAM), ("wijkagent", POLICE), ("ggz", GGZ), ("woningcorporatie", DE_SLEUTELS)),
    ),
}  # fmt: skip

FIRST_NAMES = [
    "Anna", "Bas", "Carla", "Daan", "Eva", "Frank", "Gerda", "Hans", "Iris", "Jeroen", "Karin", "Lars", "Mirjam",
    "Niels", "Olga", "Paul", "Rianne", "Sander", "Tineke", "Ugur", "Vera", "Wim", "Yasmina", "Zeynep", "Ahmed",
    "Bouchra", "Cor", "Dewi", "Esther", "Gijs", "Hanneke", "Ilse", "Jan", "Kees", "Lotte", "Mohamed", "Nadia",
    "Priya", "Ria", "Sjaak", "Thijs", "Wilma",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
    "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
    "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen", "van Dijk", "Schouten", "Hoekstra",
    "Koster", "Prins", "Huisman", "Yilmaz", "Öztürk", "Boukhari", "Kramer", "van Wijk", "Postma", "Kuipers",
    "Verbeek",
]  # fmt: skip
STREETS = [
    "Berkenlaan", "Merelstraat", "Kastanjehof", "Lindenplein", "Zwaluwstraat", "Eikenpad", "Tulpstraat",
    "Narcissenhof", "Spreeuwlaan", "Populierstraat", "Wilgenhof", "Mussenstraat", "Rozenpad", "Esdoornlaan",
    "Vinkstraat", "Lavendelhof", "Beukenstraat", "Kievitpad",
]  # fmt: skip
_POSTCODE_LETTERS = "ABCEGHJKLMNPRSTVWXZ"

OPENERS = {
    OrganisationKind.SOCIAL_TEAM: [
        "Buurtbewoners maken zich zorgen en meldden zich bij het wijkteam.",
        "Bij een huisbezoek voor een andere vraag viel het volgende op.",
        "Een mantelzorger belde het wijkteam over de situatie thuis.",
    ],
    OrganisationKind.POLICE: [
        "Na meldingen van buren is de wijkagent langs geweest.",
        "De wijkagent kwam de bewoner tegen bij een melding in de straat.",
    ],
    OrganisationKind.HOUSING: [
        "Bij een reparatieverzoek viel de woonsituatie op.",
        "Buren hebben bij de woningcorporatie geklaagd.",
        "De huismeester maakt zich zorgen over deze huurder.",
    ],
    OrganisationKind.GP: [
        "De bewoner komt afspraken bij de praktijk niet meer na.",
        "Op het spreekuur gaf de bewoner aan het niet meer te redden.",
    ],
    OrganisationKind.MENTAL_HEALTH: [
        "De bewoner is uit beeld geraakt na het stoppen van de behandeling.",
        "De ambulant begeleider krijgt geen contact meer.",
    ],
    OrganisationKind.ADDICTION_CARE: [
        "De bewoner is gestopt met de begeleiding bij de verslavingszorg.",
        "Via het straatwerk kwam een zorg over deze bewoner binnen.",
    ],
    OrganisationKind.WELFARE: [
        "Een vaste bezoeker van het Huis van de Buurt komt niet meer.",
        "Een vrijwilliger van de maaltijdservice maakt zich zorgen.",
    ],
}
CONCERNS = {
    "Sociaal isolement": [
        "De bewoner komt nauwelijks buiten en heeft geen contact met buren.",
        "Er is geen netwerk in beeld; familie komt niet meer langs.",
        "Sinds een verhuizing heeft de bewoner geen contacten meer in de buurt.",
    ],
    "Verward gedrag": [
        "Buren zien de bewoner 's nachts op straat lopen en in zichzelf praten.",
        "De bewoner reageerde aan de deur verward en wist niet welke dag het was.",
        "Er waren meldingen van verward gedrag in het trappenhuis.",
    ],
    "Vervuiling of verwaarlozing": [
        "Uit de woning komt een sterke geur; de ramen zijn afgeplakt.",
        "De woning is sterk vervuild en er staan veel spullen opgestapeld.",
        "De post stapelt zich op en de tuin is verwilderd.",
    ],
    "Overlast": [
        "Buren klagen over harde muziek en geschreeuw, vooral 's avonds.",
        "Er zijn meerdere klachten over geluidsoverlast en ruzie in het portiek.",
        "Omwonenden voelen zich onveilig door het gedrag van de bewoner.",
    ],
    "Financiële zorgen": [
        "Er is een huurachterstand van enkele maanden.",
        "De bewoner opent de post niet meer; er liggen aanmaningen.",
        "De energieleverancier dreigt met afsluiting wegens een achterstand.",
    ],
    "Verslaving": [
        "Vermoedelijk problematisch alcoholgebruik; veel lege flessen bij het afval.",
        "Er zijn signalen van drugsgebruik in en rond de woning.",
        "De bewoner was eerder in zorg bij de verslavingszorg maar is uit beeld.",
    ],
    "Psychische klachten": [
        "De bewoner vertelt somber te zijn en slecht te slapen.",
        "Eerder in behandeling geweest bij de GGZ; die is gestopt.",
        "De bewoner heeft angstklachten en durft de deur niet meer uit.",
    ],
    "Eenzaamheid": [
        "De bewoner voelt zich erg alleen sinds het overlijden van de partner.",
        "Komt dagelijks een praatje maken in de supermarkt en lijkt verder niemand te spreken.",
        "Geeft aan niemand te hebben om mee te praten.",
    ],
}
GENERIC_CONCERN = ["Er zijn zorgen over hoe het met de bewoner gaat."]
INFORMED = {
    Signal.ResidentInformed.YES: "De bewoner weet van deze melding.",
    Signal.ResidentInformed.NOT_YET: "De bewoner wordt bij het eerste contact ingelicht.",
    Signal.ResidentInformed.NO: "De bewoner is niet ingelicht: contact lukte nog niet.",
}
NOTES_FIRST = [
    "Melder licht het signaal toe.",
    "Bij de woningcorporatie zijn eerder klachten binnengekomen.",
    "Bewoner is bekend bij het wijkteam van een eerdere vraag.",
    "Huisarts heeft de bewoner al lang niet gezien.",
    "Geen eerdere meldingen bekend bij de partners.",
]
NOTES_FOLLOW_UP = [
    "Regievoerder vertelt over het huisbezoek.",
    "Bewoner geeft aan dat het iets beter gaat.",
    "Buren melden minder overlast.",
    "Contact verloopt moeizaam maar is er wel.",
    "Aanmelding is gedaan; er is een wachttijd.",
]
OPENING_DECISIONS = {
    Outcome.REFERRED_TO_CARE: [
        "Regievoerder legt contact en verkent met de bewoner welke zorg past.",
        "Huisbezoek door wijkteam en GGZ samen; daarna aanmelding voor passende zorg.",
        "Met toestemming van de bewoner de huisarts betrekken en een aanmelding voorbereiden.",
    ],
    Outcome.REFERRED_TO_ACTIVITY: [
        "Regievoerder gaat langs en nodigt de bewoner uit voor de inloop van het Zelfregiecentrum.",
        "Kennismaking regelen met een activiteit in het Huis van de Buurt.",
    ],
    Outcome.BRIGADE: [
        "De Vliegende Brigade vragen om een eerste contact te leggen.",
        "Eerst contact via een ervaringsdeskundige van de Vliegende Brigade.",
    ],
    Outcome.NOT_REACHED: [
        "Huisbezoek afleggen; bij geen gehoor een brief met contactgegevens achterlaten.",
        "Contact proberen via telefoon en huisbezoek.",
    ],
    Outcome.NO_ACTION_NEEDED: ["Regievoerder gaat kort langs om te horen hoe het gaat."],
    Outcome.HANDLED_ELSEWHERE: ["Navragen wie er al betrokken is en daarna opnieuw bespreken."],
}
FOLLOW_UP_DECISIONS = [
    "Eerste contact gelegd; bewoner staat open voor hulp. Vervolg afwachten.",
    "Nog geen contact gelukt; nieuwe poging samen met de wijkagent.",
    "Aanmelding loopt; wachttijd van enkele weken.",
    "Bewoner wil nog geen hulp; contact onderhouden en opnieuw bespreken.",
]
MONITORING_DECISION = "Situatie is stabieler; vinger aan de pols houden."
CLOSING_DECISIONS = {
    Outcome.REFERRED_TO_CARE: [
        "Bewoner is aangemeld en krijgt begeleiding; signaal sluiten.",
        "Zorg is gestart via de huisarts; signaal sluiten.",
    ],
    Outcome.REFERRED_TO_ACTIVITY: [
        "Bewoner bezoekt wekelijks de inloop van het Zelfregiecentrum; signaal sluiten.",
        "Bewoner doet mee aan een activiteit in het Huis van de Buurt; signaal sluiten.",
    ],
    Outcome.BRIGADE: ["Brigadiers hebben contact gelegd en de bewoner toegeleid; signaal sluiten."],
    Outcome.NO_ACTION_NEEDED: [
        "Geen zorgen die om actie vragen; signaal sluiten.",
        "Na navraag geen reden tot zorg; signaal sluiten.",
    ],
    Outcome.HANDLED_ELSEWHERE: [
        "Bewoner is al in beeld bij een andere hulpverlener; daar blijft de regie. Signaal sluiten.",
        "Regie ligt bij de GGZ; signaal sluiten.",
    ],
    Outcome.NOT_REACHED: [
        "Bewoner niet bereikt na meerdere pogingen; signaal sluiten. Bij nieuwe zorgen opnieuw melden."
    ],
}
ACTIONS = {
    Outcome.REFERRED_TO_CARE: [
        "Huisbezoek afleggen samen met de GGZ",
        "Huisarts informeren (met toestemming van de bewoner)",
        "Aanmelding bij de GGZ voorbereiden",
        "Budgetcoach inschakelen",
    ],
    Outcome.REFERRED_TO_ACTIVITY: [
        "Bewoner meenemen naar de inloop",
        "Activiteitenaanbod van het Huis van de Buurt langsbrengen",
    ],
    Outcome.BRIGADE: ["Inzetverzoek Vliegende Brigade indienen", "Brigadiers bijpraten over de situatie"],
    Outcome.NOT_REACHED: ["Huisbezoek afleggen", "Brief met contactgegevens achterlaten", "Navragen bij de wijkagent"],
    Outcome.NO_ACTION_NEEDED: ["Contact opnemen met de melder"],
    Outcome.HANDLED_ELSEWHERE: ["Navragen bij de woningcorporatie", "Contact opnemen met de melder"],
}
NEXT_STEPS = ["Huisbezoek afleggen", "Contact opnemen met de huisarts", "Aanmelding voorbereiden",
              "Kennismaking bij de inloop regelen", "Terugkoppeling in het overleg"]  # fmt: skip
MONITORING_STEPS = ["Vinger aan de pols; terugkoppeling in het overleg", "Contact houden met de bewoner"]
LEAD_NOTES = [
    "Huisbezoek afgelegd; de bewoner stond open voor een gesprek.",
    "Telefonisch contact gehad; afspraak gemaakt voor volgende week.",
    "Geen gehoor bij huisbezoek; brief achtergelaten.",
    "Overleg gehad met de huisarts.",
]
MINUTES_EXTRA = [
    "",
    "",
    "Mededeling: het Zelfregiecentrum heeft een extra inloopmiddag.",
    "De Vliegende Brigade vertelde over haar werkwijze.",
    "Afgesproken: nieuwe signalen uiterlijk twee dagen voor het overleg invoeren.",
    "Nieuwe collega van de woningcorporatie stelde zich voor.",
]

OUTCOME_WEIGHTS = {
    Outcome.REFERRED_TO_CARE: 36,
    Outcome.REFERRED_TO_ACTIVITY: 20,
    Outcome.HANDLED_ELSEWHERE: 16,
    Outcome.NO_ACTION_NEEDED: 12,
    Outcome.NOT_REACHED: 11,
    Outcome.BRIGADE: 5,
}
DISCUSSIONS_UNTIL_CLOSED = {  # how many discussions a signal with this outcome usually needs
    Outcome.REFERRED_TO_CARE: (1, 2, 2, 3),
    Outcome.REFERRED_TO_ACTIVITY: (1, 2, 2, 3),
    Outcome.BRIGADE: (2, 2, 3),
    Outcome.NO_ACTION_NEEDED: (1, 1, 1, 2),
    Outcome.HANDLED_ELSEWHERE: (1, 1, 2),
    Outcome.NOT_REACHED: (2, 3, 3, 4),
}
CATEGORY_WEIGHTS = {
    "Sociaal isolement": 5,
    "Eenzaamheid": 4,
    "Psychische klachten": 5,
    "Verward gedrag": 4,
    "Vervuiling of verwaarlozing": 3,
    "Overlast": 3,
    "Financiële zorgen": 3,
    "Verslaving": 2,
}
REPORTER_WEIGHTS = {
    OrganisationKind.SOCIAL_TEAM: 3,
    OrganisationKind.POLICE: 2.5,
    OrganisationKind.HOUSING: 2.5,
    OrganisationKind.MENTAL_HEALTH: 2,
    OrganisationKind.GP: 1.5,
    OrganisationKind.WELFARE: 1.5,
    OrganisationKind.ADDICTION_CARE: 1,
}
LEAD_WEIGHTS = {
    OrganisationKind.SOCIAL_TEAM: 5,
    OrganisationKind.MENTAL_HEALTH: 2,
    OrganisationKind.WELFARE: 1.5,
    OrganisationKind.ADDICTION_CARE: 1,
    OrganisationKind.HOUSING: 1,
    OrganisationKind.POLICE: 0.5,
    OrganisationKind.GP: 0.5,
}
LEGAL_BASES = {
    OrganisationKind.SOCIAL_TEAM: {Signal.LegalBasis.PUBLIC_TASK: 6, Signal.LegalBasis.CONSENT: 4},
    OrganisationKind.POLICE: {Signal.LegalBasis.PUBLIC_TASK: 9, Signal.LegalBasis.VITAL_INTEREST: 1},
    OrganisationKind.HOUSING: {Signal.LegalBasis.LEGITIMATE_INTEREST: 7, Signal.LegalBasis.CONSENT: 3},
    OrganisationKind.WELFARE: {Signal.LegalBasis.CONSENT: 6, Signal.LegalBasis.LEGITIMATE_INTEREST: 4},
}
CARE_LEGAL_BASES = {Signal.LegalBasis.CONSENT: 8, Signal.LegalBasis.VITAL_INTEREST: 1}


@dataclass
class _District:
    district: District
    overleg: _Overleg
    series: MeetingSeries
    members: list = field(default_factory=list)
    chair: object = None
    neighbourhoods: list = field(default_factory=list)
    held: list = field(default_factory=list)
    held_starts: list = field(default_factory=list)
    upcoming: datetime.date | None = None
    residents: list = field(default_factory=list)  # [resident, number of signals], for "already known"


@dataclass
class _Spec:
    """What is fixed about a signal before its story is drawn; the rest comes from the random generator."""

    created: datetime.datetime
    urgency: int | None = None
    open: bool = False
    lead: object = None
    action: tuple | None = None  # (owner, due): an open action at the first discussion
    follow_up_due: datetime.date | None = None


class _Story:
    """One signal's history, collected in the order the services would write it."""

    def __init__(self, signal: Signal):
        self.signal = signal
        self.categories: list[ConcernCategory] = []
        self.status = Status.NEW
        self.version = 1
        self.events: list[tuple[datetime.datetime, int, Event, Action | None]] = []
        self.actions: list[Action] = []
        self.discussions: list[tuple[Discussion, datetime.datetime]] = []
        self.add(signal.created_at, signal.reporter, Event.Kind.REPORTED, urgency=signal.urgency)

    def add(self, at, actor, kind, text="", action=None, **data) -> None:
        event = Event(signal=self.signal, at=at, actor=actor, kind=kind, text=text, data=data)
        self.events.append((at, len(self.events), event, action))

    def move(self, at, actor, target, outcome="") -> None:
        assert can_transition(self.status, target), (self.status, target)
        self.add(at, actor, Event.Kind.STATUS, old=self.status, new=target, outcome=outcome)
        self.status = target
        self.version += 1
        if target == Status.CLOSED:
            self.signal.outcome, self.signal.closed_at = outcome, at

    def set_lead(self, at, actor, lead) -> None:
        self.signal.lead = lead
        self.add(at, actor, Event.Kind.LEAD, str(lead), user_id=lead.pk)
        self.version += 1

    def set_next_step(self, at, actor, text, due) -> None:
        self.signal.next_step, self.signal.next_step_due = text, due
        self.add(at, actor, Event.Kind.NEXT_STEP, text, due=due.isoformat())
        self.version += 1

    def add_action(self, at, actor, owner, description, due, discussion=None, done_at=None) -> None:
        action = Action(
            signal=self.signal,
            discussion=discussion,
            description=description,
            owner=owner,
            due=due,
            done_at=done_at,
            created_by=actor,
            created_at=at,
        )
        self.actions.append(action)
        self.add(at, actor, Event.Kind.ACTION, description, action, owner=str(owner), due=due.isoformat())
        if done_at:
            self.add(done_at, owner, Event.Kind.ACTION_DONE, description, action)

    def discuss(self, meeting, at, chair, notes, decision) -> Discussion:
        discussion = Discussion(meeting=meeting, signal=self.signal, notes=notes, decision=decision, created_by=chair)
        self.discussions.append((discussion, at))
        self.add(at, chair, Event.Kind.DISCUSSED, meeting=meeting.pk)
        if decision:
            self.add(at, chair, Event.Kind.DECISION, decision, meeting=meeting.pk)
        if self.signal.first_discussed_at is None:
            self.signal.record_first_discussion(meeting.starts_at)
        self.version += 1
        return discussion

    def ordered_events(self):
        return [(event, action) for _, _, event, action in sorted(self.events, key=lambda row: row[:2])]


def seed(stdout) -> None:
    _Builder().run(stdout)


class _Builder:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start = self.today - datetime.timedelta(days=PERIOD_DAYS)
        self.districts: list[_District] = []
        self.usernames: list[str] = []
        self.taken_pseudonyms: set[str] = set()
        self.new_residents: list[tuple[Resident, datetime.datetime]] = []  # with the first signal's date
        self.categories: list[ConcernCategory] = []

    def run(self, stdout) -> None:
        self._overleggen()
        if Signal.objects.filter(reporter__username__in=self.usernames).exists():
            stdout.write(f"Signaleringsoverleg: demo signals already there, nothing added. {_summary()}")
            return
        self._meetings()
        self._signals()
        meetings_plan(until=self.today + datetime.timedelta(weeks=PLAN_WEEKS), today=self.today)
        stdout.write(f"Signaleringsoverleg: {_summary()}")

    # --- the overleggen and their members -------------------------------------------------------------------

    def _overleggen(self) -> None:
        organisations = {org.name: org for org in Organisation.objects.all()}
        districts = {district.name: district for district in District.objects.all()}
        missing = [name for name in OVERLEGGEN if name not in districts]
        missing += sorted({org for o in OVERLEGGEN.values() for _, org in o.seats if org not in organisations})
        if missing:
            raise RuntimeError(f"The accounts demo must run first; missing: {', '.join(missing)}")
        self.usernames = [f"{overleg.prefix}.{seat}" for overleg in OVERLEGGEN.values() for seat, _ in overleg.seats]
        users = {user.username: user for user in User.objects.filter(username__in=self.usernames)}
        created = []
        for name, overleg in OVERLEGGEN.items():
            district = districts[name]
            # A chair from elsewhere (accounts' "voorzitter") keeps the chair; otherwise the first seat takes it.
            has_chair = (
                DistrictMembership.objects.filter(district=district, role=MembershipRole.CHAIR)
                .exclude(user__username__in=self.usernames)
                .exists()
            )
            for index, (seat, organisation) in enumerate(overleg.seats):
                username = f"{overleg.prefix}.{seat}"
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)  # drawn always: same demo
                chair = index == 0 and not has_chair
                user = users.get(username)
                if user is None:
                    # No password here: hashing the demo password once below keeps seeding fast.
                    user = user_create(
                        username=username,
                        role=Role.CHAIR if chair else Role.PROFESSIONAL,
                        organisation=organisations[organisation],
                        first_name=first,
                        last_name=last,
                        email=f"{username}@meedoen.example",
                    )
                    created.append(user.pk)
                membership_set(
                    user=user, district=district, role=MembershipRole.CHAIR if chair else MembershipRole.MEMBER
                )
            series, _ = MeetingSeries.objects.get_or_create(district=district, defaults=self._schedule(overleg))
            self.districts.append(_District(district=district, overleg=overleg, series=series))
        if created:
            User.objects.filter(pk__in=created).update(password=make_password(DEMO_PASSWORD))

    def _schedule(self, overleg: _Overleg) -> dict:
        """A schedule whose first meeting lies before the demo period; Binnenstad-Zuid meets within a week."""
        ahead = (overleg.weekday - self.today.weekday()) % 7 or 7
        phase = 0 if overleg.prefix == "bz" else self.rng.randrange(overleg.interval_weeks)
        anchor = self.today + datetime.timedelta(days=ahead, weeks=phase)
        step = datetime.timedelta(weeks=overleg.interval_weeks)
        first = anchor - step * ((PERIOD_DAYS + 14) // step.days + 1)
        return {
            "weekday": overleg.weekday,
            "start_time": overleg.start,
            "interval_weeks": overleg.interval_weeks,
            "first_date": first,
            "location": overleg.location,
            # A district that meets every four weeks gets more time for the first discussion.
            "first_discussion_days": 10 if overleg.interval_weeks <= 2 else 20,
            "follow_up_days": 20,
            "agenda_notice_days": 2,
        }

    # --- meetings -----------------------------------------------------------------------------------------

    def _meetings(self) -> None:
        existing = {(m.district_id, m.starts_at): m for m in Meeting.objects.filter(starts_at__lt=self.now - RUNNING)}
        new = []
        for ctx in self.districts:
            series = ctx.series
            memberships = DistrictMembership.objects.filter(district=ctx.district).select_related("user__organisation")
            memberships = sorted(memberships, key=lambda membership: membership.user.username)
            ctx.members = [m.user for m in memberships if m.user.is_active and m.user.organisation_id]
            ctx.chair = next(m.user for m in memberships if m.role == MembershipRole.CHAIR)
            ctx.neighbourhoods = list(ctx.district.neighbourhoods.order_by("cbs_code"))
            for day in series.meeting_dates(self.start, self.today + datetime.timedelta(weeks=PLAN_WEEKS)):
                starts_at = _aware(day, series.start_time)
                if starts_at >= self.now - RUNNING:  # a meeting of the last hours may still run: planned
                    ctx.upcoming = ctx.upcoming or day
                    continue
                meeting = existing.get((ctx.district.pk, starts_at))
                if meeting is None:
                    christmas = (day.month, day.day) >= (12, 22) or (day.month, day.day) <= (1, 2)
                    cancelled = christmas or self.rng.random() < 0.03
                    meeting = Meeting(
                        district=ctx.district,
                        starts_at=starts_at,
                        location=series.location,
                        state=Meeting.State.CANCELLED if cancelled else Meeting.State.HELD,
                        minutes="Vervalt." if cancelled else "",
                        agenda_sent_at=None if cancelled else starts_at - datetime.timedelta(days=2),
                    )
                    new.append(meeting)
                if meeting.state == Meeting.State.HELD:
                    ctx.held.append(meeting)
        Meeting.objects.bulk_create(new)
        for ctx in self.districts:
            ctx.held.sort(key=lambda meeting: meeting.starts_at)
            ctx.held_starts = [meeting.starts_at for meeting in ctx.held]

    # --- signals ------------------------------------------------------------------------------------------

    def _signals(self) -> None:
        self.categories = list(ConcernCategory.objects.filter(active=True))
        self.taken_pseudonyms = set(Resident.objects.values_list("pseudonym", flat=True))
        stories: list[_Story] = []
        for ctx in self.districts:
            specs = self._featured(ctx)
            lo, hi = _aware(self.start, datetime.time(8)), self.now - datetime.timedelta(minutes=30)
            specs += [_Spec(self._report_time(lo, hi, skew=1.2)) for _ in range(ctx.overleg.signals - len(specs))]
            for spec in sorted(specs, key=lambda spec: spec.created):
                story = self._story(ctx, spec)
                # The brigade visits a person: a signal it closed is always about a resident, not only an address.
                needs_person = story.signal.outcome == Outcome.BRIGADE
                story.signal.resident = self._resident(ctx, story.signal.created_at, needs_person=needs_person)
                stories.append(story)
        self._save(stories)

    def _featured(self, ctx: _District) -> list[_Spec]:
        """Work for the demo accounts: new signals for the coming meeting, and cases they lead with open actions."""
        members = {user.username: user for user in ctx.members}
        professional, chair = members.get(FEATURED_PROFESSIONAL), members.get(FEATURED_CHAIR)
        if professional is None or not ctx.held or ctx.upcoming is None:
            return []

        def days(n: int) -> datetime.date:  # n days ago; negative: ahead
            return self.today - datetime.timedelta(days=n)

        specs = []
        if chair is not None:  # the district the demo chair runs: a full agenda for the coming meeting
            lo = max(ctx.held_starts[-1], self.now - datetime.timedelta(days=12)) + datetime.timedelta(hours=2)
            hi = self.now - datetime.timedelta(minutes=30)
            urgencies = [
                Signal.Urgency.URGENT,
                Signal.Urgency.HIGH,
                Signal.Urgency.NORMAL,
                Signal.Urgency.NORMAL,
                Signal.Urgency.NORMAL,
            ]
            specs += [_Spec(self._report_time(lo, hi), urgency=urgency) for urgency in urgencies]
            specs += [
                _Spec(self._days_ago(42), open=True, lead=professional, action=(professional, days(6)),
                      follow_up_due=ctx.upcoming),
                _Spec(self._days_ago(63), open=True, lead=professional, action=(professional, days(2)),
                      follow_up_due=days(3)),
                _Spec(self._days_ago(77), open=True, lead=professional, action=(professional, days(-4)),
                      follow_up_due=ctx.upcoming),
                _Spec(self._days_ago(30), urgency=Signal.Urgency.HIGH, open=True, lead=professional,
                      action=(professional, days(-2)), follow_up_due=ctx.upcoming),
                _Spec(self._days_ago(50), open=True, lead=chair, action=(chair, days(4)),
                      follow_up_due=ctx.upcoming - datetime.timedelta(days=1)),
                _Spec(self._days_ago(95), open=True, lead=chair, action=(chair, days(-6))),
            ]  # fmt: skip
        else:
            specs += [
                _Spec(self._days_ago(45), open=True, lead=professional, action=(professional, days(5)),
                      follow_up_due=ctx.upcoming),
                _Spec(self._days_ago(70), open=True, lead=professional, action=(professional, days(-3))),
            ]  # fmt: skip
        return specs

    def _days_ago(self, days: int) -> datetime.datetime:
        day = self.today - datetime.timedelta(days=days)
        return self._report_time(_aware(day, datetime.time(0)), _aware(day, datetime.time(23, 59)))

    def _report_time(self, lo: datetime.datetime, hi: datetime.datetime, skew: float = 1.0) -> datetime.datetime:
        """A moment in office hours on a working day between lo and hi; skew > 1 favours recent days."""
        rng = self.rng
        first, last = timezone.localdate(lo), timezone.localdate(hi)
        for _ in range(100):
            day = last - datetime.timedelta(days=int(((last - first).days + 1) * rng.random() ** skew))
            if not is_working_day(day) and rng.random() < 0.9:
                continue
            at = _aware(day, datetime.time(rng.randint(8, 16), rng.randrange(60)))
            if lo < at < hi:
                return at
        return hi

    def _story(self, ctx: _District, spec: _Spec) -> _Story:
        rng = self.rng
        created = spec.created
        urgency = spec.urgency or _weighted(
            rng, {Signal.Urgency.NORMAL: 80, Signal.Urgency.HIGH: 15, Signal.Urgency.URGENT: 5}
        )
        reporter = _weighted(rng, {user: self._reporter_weight(ctx, user) for user in ctx.members})
        kind = reporter.organisation.kind
        categories = self._categories()
        informed = _weighted(
            rng,
            {Signal.ResidentInformed.YES: 5, Signal.ResidentInformed.NOT_YET: 3, Signal.ResidentInformed.NO: 2},
        )
        legal_basis = _weighted(rng, LEGAL_BASES.get(kind, CARE_LEGAL_BASES))
        if urgency == Signal.Urgency.URGENT and rng.random() < 0.5:
            legal_basis = Signal.LegalBasis.VITAL_INTEREST
        concerns = [rng.choice(CONCERNS.get(category.name, GENERIC_CONCERN)) for category in categories]
        opener = rng.choice(OPENERS.get(kind, OPENERS[OrganisationKind.SOCIAL_TEAM]))
        description = " ".join([opener, *concerns, INFORMED[informed]])
        signal = Signal(
            district=ctx.district,
            neighbourhood=rng.choice(ctx.neighbourhoods),
            urgency=urgency,
            description=description,
            reporter=reporter,
            source_organisation_id=reporter.organisation_id,
            legal_basis=legal_basis,
            resident_informed=informed,
            first_discussion_due=Signal.first_discussion_deadline(timezone.localdate(created), ctx.series),
            created_at=created,
        )
        story = _Story(signal)
        story.categories = categories

        outcome = _weighted(rng, OUTCOME_WEIGHTS)
        age = (self.now - created).days
        closed = not spec.open and rng.random() < (0.93 if age > 100 else 0.6 if age > 50 else 0.3)
        chain = self._chain(ctx, created, urgency, rng.choice(DISCUSSIONS_UNTIL_CLOSED[outcome]) if closed else 99)
        if len(chain) > 5:  # a long-running case: the first discussion and the latest ones
            chain = chain[:1] + chain[-4:]
        quick = closed and len(chain) == 1 and outcome in (Outcome.NO_ACTION_NEEDED, Outcome.HANDLED_ELSEWHERE)
        closed = closed and bool(chain)
        close_at = None  # closed in the last meeting, or by the lead some days after it
        if closed:
            in_meeting = quick or (len(chain) > 1 and rng.random() < 0.65)
            close_at = chain[-1].starts_at if in_meeting else self._later(chain[-1].starts_at, days=(5, 25))
            if close_at is None and len(chain) > 1:
                close_at = chain[-1].starts_at
            closed = close_at is not None  # one discussion and too recent to be closed yet: still open
        close_in_meeting = closed and close_at == chain[-1].starts_at

        chair = ctx.chair
        actions_left = int(spec.action is not None or rng.random() < 0.75) + int(rng.random() < 0.3)  # 0 to 2
        if urgency == Signal.Urgency.URGENT:
            at = created + datetime.timedelta(minutes=rng.randint(30, 180))
            if at < self.now and (not chain or at < chain[0].starts_at):
                lead = spec.lead or self._lead(ctx, categories)
                story.set_lead(at, chair, lead)
                meeting_day = timezone.localdate(chain[0].starts_at) if chain else ctx.upcoming
                story.set_next_step(at, chair, "Bespreken in het eerstvolgende overleg", meeting_day)
                due = add_working_days(timezone.localdate(created), 1)
                done = created + datetime.timedelta(hours=rng.randint(18, 30))
                if done >= (close_at or self.now):  # a closed signal has no open actions
                    done = at + (close_at - at) / 2 if close_at else None
                story.add_action(at, chair, lead, "Vandaag of morgen op huisbezoek", due, done_at=done)
                actions_left = min(actions_left, 1)
                story.move(at, chair, Status.IN_PROGRESS)
        if not chain:
            if story.status == Status.NEW and rng.random() < 0.3:
                at = created + datetime.timedelta(hours=rng.randint(1, 26))
                if at < self.now:
                    story.move(at, chair, Status.SCHEDULED)
            return self._finish(story)

        first = chain[0]
        if story.status == Status.NEW and first.agenda_sent_at and created < first.agenda_sent_at:
            story.move(first.agenda_sent_at, None, Status.SCHEDULED)  # the agenda notice schedules new signals

        for index, meeting in enumerate(chain):
            at = meeting.starts_at + datetime.timedelta(minutes=rng.randint(5, 100))
            day = timezone.localdate(meeting.starts_at)
            last = index == len(chain) - 1
            if close_in_meeting and last:
                notes = rng.choice(NOTES_FIRST if index == 0 else NOTES_FOLLOW_UP)
                story.discuss(meeting, at, chair, notes, rng.choice(CLOSING_DECISIONS[outcome]))
                story.move(at, chair, Status.CLOSED, outcome)
                break
            monitoring = False
            if index == 0:
                notes, decision = rng.choice(NOTES_FIRST), rng.choice(OPENING_DECISIONS[outcome])
            else:
                monitoring = story.status == Status.IN_PROGRESS and rng.random() < 0.45
                notes = rng.choice(NOTES_FOLLOW_UP)
                decision = MONITORING_DECISION if monitoring else rng.choice(FOLLOW_UP_DECISIONS)
            discussion = story.discuss(meeting, at, chair, notes, decision)
            if story.signal.lead is None:
                story.set_lead(at, chair, spec.lead or self._lead(ctx, categories))
            lead = story.signal.lead
            target = Status.MONITORING if monitoring or story.status == Status.MONITORING else Status.IN_PROGRESS
            if story.status == Status.MONITORING and rng.random() < 0.15:
                target = Status.IN_PROGRESS
            steps = MONITORING_STEPS if target == Status.MONITORING else NEXT_STEPS
            due = add_working_days(day, rng.choice((20, 40) if target == Status.MONITORING else (10, 20, 20)))
            if last and not closed and spec.follow_up_due:
                due = spec.follow_up_due
            story.set_next_step(at, chair, rng.choice(steps), due)
            if index == 0 and spec.action:
                owner, action_due = spec.action
                story.add_action(at, chair, owner, rng.choice(ACTIONS[outcome]), action_due, discussion)
                actions_left = max(actions_left - 1, 0)
            elif actions_left > 0 and (last or rng.random() < 0.6):
                owner = lead if rng.random() < 0.6 else rng.choice(ctx.members)
                action_due = add_working_days(day, rng.choice((5, 10, 10, 15)))
                done = self._done_at(at, action_due, close_at)
                story.add_action(at, chair, owner, rng.choice(ACTIONS[outcome]), action_due, discussion, done)
                actions_left = max(actions_left - 1, 0)
            if target != story.status:
                story.move(at, chair, target)
            if rng.random() < 0.25:
                until = chain[index + 1].starts_at if not last else close_at or self.now
                note_at = self._later(at, days=(2, 10), before=until)
                if note_at:
                    story.add(note_at, lead, Event.Kind.NOTE, rng.choice(LEAD_NOTES))
        if closed and not close_in_meeting:
            story.move(close_at, story.signal.lead, Status.CLOSED, outcome)
        return self._finish(story)

    def _finish(self, story: _Story) -> _Story:
        story.signal.status = story.status
        story.signal.version = story.version
        return story

    def _chain(self, ctx: _District, created, urgency, limit: int) -> list[Meeting]:
        """The held meetings that discussed the signal: the first after it was reported, then about monthly."""
        delay = datetime.timedelta(hours=2) if urgency >= Signal.Urgency.HIGH else datetime.timedelta(days=1)
        index = bisect.bisect_left(ctx.held_starts, created + delay)
        chain = []
        while index < len(ctx.held) and len(chain) < limit:
            chain.append(ctx.held[index])
            index = bisect.bisect_left(ctx.held_starts, ctx.held_starts[index] + FOLLOW_UP_GAP)
        return chain

    def _later(self, after, days: tuple[int, int], before=None) -> datetime.datetime | None:
        """A moment in office hours some days after `after`, if it is still before `before` (default: now)."""
        before = before or self.now - datetime.timedelta(hours=1)
        day = timezone.localdate(after) + datetime.timedelta(days=self.rng.randint(*days))
        while not is_working_day(day):
            day += datetime.timedelta(days=1)
        at = _aware(day, datetime.time(self.rng.randint(9, 16), self.rng.randrange(60)))
        return at if after < at < before else None

    def _done_at(self, created, due: datetime.date, close_at) -> datetime.datetime | None:
        """When an action was ticked off: always before its signal closed; open ones often stay open past due."""
        if close_at is None and (due >= self.today or self.rng.random() < 0.4):
            return None
        limit = close_at or self.now - datetime.timedelta(hours=1)
        span = max((due - timezone.localdate(created)).days + 5, 1)
        done = self._later(created, days=(1, span), before=limit)
        return done or created + (limit - created) / 2

    def _reporter_weight(self, ctx: _District, user) -> float:
        weight = REPORTER_WEIGHTS.get(user.organisation.kind, 1)
        return weight / 4 if user == ctx.chair else weight

    def _lead(self, ctx: _District, categories) -> object:
        names = {category.name for category in categories}
        weights = {}
        for user in ctx.members:
            kind = user.organisation.kind
            weight = LEAD_WEIGHTS.get(kind, 1)
            if kind == OrganisationKind.ADDICTION_CARE and "Verslaving" in names:
                weight += 3
            if kind == OrganisationKind.MENTAL_HEALTH and names & {"Psychische klachten", "Verward gedrag"}:
                weight += 2
            if user.username == FEATURED_PROFESSIONAL:
                weight = 6
            weights[user] = weight
        return _weighted(self.rng, weights)

    def _categories(self) -> list[ConcernCategory]:
        if not self.categories:
            raise RuntimeError("No active concern categories: run the signalering migrations first.")
        count = min(_weighted(self.rng, {1: 4, 2: 4, 3: 2}), len(self.categories))
        pool = {category: CATEGORY_WEIGHTS.get(category.name, 2) for category in self.categories}
        chosen = []
        for _ in range(count):
            category = _weighted(self.rng, pool)
            chosen.append(category)
            del pool[category]
        return sorted(chosen, key=lambda category: (category.position, category.name))

    # --- residents ----------------------------------------------------------------------------------------

    def _resident(self, ctx: _District, created, *, needs_person=False) -> Resident | None:
        """Most signals are about a known person; about one in ten residents comes back in a later signal."""
        rng = self.rng
        if rng.random() < 0.08 and not needs_person:
            return None
        known = [row for row in ctx.residents if row[1] < 3]
        if known and rng.random() < 0.12:
            row = rng.choice(known)
            row[1] += 1
            return row[0]
        resident = Resident(pseudonym=self._pseudonym())
        if rng.random() < 0.75:
            resident.full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            resident.date_of_birth = datetime.date(rng.randint(1938, 2004), rng.randint(1, 12), rng.randint(1, 28))
        if not resident.full_name or rng.random() < 0.4:
            resident.street = rng.choice(STREETS)
            resident.house_number = str(rng.randint(1, 160)) + rng.choice(["", "", "", "A", "B"])
            letters = rng.choice(_POSTCODE_LETTERS) + rng.choice(_POSTCODE_LETTERS)
            resident.postcode = f"23{rng.randint(11, 34)} {letters}"
        resident.refresh_hashes()
        ctx.residents.append([resident, 1])
        self.new_residents.append((resident, created))
        return resident

    def _pseudonym(self) -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as privacy.models.new_pseudonym, but from the seeded generator
        while True:
            pseudonym = "B-" + "".join(self.rng.choice(alphabet) for _ in range(6))
            if pseudonym not in self.taken_pseudonyms:
                self.taken_pseudonyms.add(pseudonym)
                return pseudonym

    # --- writing ------------------------------------------------------------------------------------------

    def _save(self, stories: list[_Story]) -> None:
        residents = [resident for resident, _ in self.new_residents]
        Resident.objects.bulk_create(residents, batch_size=500)
        for resident, created in self.new_residents:  # created_at is auto_now_add: set the story's date afterwards
            resident.created_at = created
        Resident.objects.bulk_update(residents, ["created_at"], batch_size=500)

        signals = [story.signal for story in stories]
        Signal.objects.bulk_create(signals, batch_size=500)
        through = Signal.categories.through
        through.objects.bulk_create(
            [
                through(signal_id=story.signal.pk, concerncategory_id=c.pk)
                for story in stories
                for c in story.categories
            ],
            batch_size=1000,
        )
        discussions = [row for story in stories for row in story.discussions]
        Discussion.objects.bulk_create([discussion for discussion, _ in discussions], batch_size=500)
        Action.objects.bulk_create([action for story in stories for action in story.actions], batch_size=500)
        events = []
        for story in stories:
            for event, action in story.ordered_events():
                if action is not None:
                    event.data["action"] = action.pk
                events.append(event)
            story.signal.updated_at = events[-1].at
        Event.objects.bulk_create(events, batch_size=1000)
        Signal.objects.bulk_update(signals, ["updated_at"], batch_size=500)  # auto_now: the last event, not today
        for discussion, at in discussions:
            discussion.updated_at = at
        Discussion.objects.bulk_update([discussion for discussion, _ in discussions], ["updated_at"], batch_size=500)
        self._minutes(discussions)

    def _minutes(self, discussions) -> None:
        new, follow_up = Counter(), Counter()
        for discussion, _ in discussions:
            first = discussion.signal.first_discussed_at == discussion.meeting.starts_at
            (new if first else follow_up)[discussion.meeting_id] += 1
        held = []
        for ctx in self.districts:
            size = len(ctx.members)
            for meeting in ctx.held:
                if meeting.minutes:
                    continue
                present = self.rng.randint(max(size - 2, 2), size)
                items = new[meeting.pk] + follow_up[meeting.pk]
                body = (
                    f"{new[meeting.pk]} nieuwe signalen en {follow_up[meeting.pk]} vervolgbesprekingen."
                    if items
                    else "Geen signalen op de agenda; samenwerking in de wijk besproken."
                )
                extra = self.rng.choice(MINUTES_EXTRA)
                meeting.minutes = " ".join(filter(None, [f"Aanwezig: {present} van {size} leden.", body, extra]))
                held.append(meeting)
        Meeting.objects.bulk_update(held, ["minutes"], batch_size=500)


def _summary() -> str:
    statuses = dict(Signal.objects.order_by().values_list("status").annotate(n=Count("pk")))
    states = dict(Meeting.objects.order_by().values_list("state").annotate(n=Count("pk")))
    actions = Action.objects.count()
    open_actions = Action.objects.filter(done_at__isnull=True)
    overdue = open_actions.filter(due__lt=timezone.localdate()).count()
    return (
        f"{sum(statuses.values())} signals ("
        + ", ".join(f"{statuses.get(status, 0)} {status}" for status in Status.values)
        + f"), {sum(states.values())} meetings ("
        + ", ".join(f"{states.get(state, 0)} {state}" for state in Meeting.State.values)
        + f"), {actions} actions ({open_actions.count()} open, {overdue} overdue), "
        f"{Resident.objects.count()} residents."
    )


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _weighted(rng: random.Random, weights: dict):
    options = list(weights)
    return rng.choices(options, weights=[weights[option] for option in options])[0]
