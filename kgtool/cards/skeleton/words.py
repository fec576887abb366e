"""The word lists `kgtool new-card` guesses with (kgtool.cards.skeleton): cues, not rules."""

from __future__ import annotations

# Lower-case words that may sit inside a name: "City of Angels", "Lord of the Rings", "Guillermo del Toro".
CONNECTORS = frozenset("of the de del della da di du van von der den la le y & 'n' n’".split())

# Capitalised words that start sentences without naming anything.
STARTERS = frozenset("""
A An The This That These Those It It's It’s Its I I'm I’m I've I’ve I'd I’d I'll I’ll We We're We’re You You're
You’re They They're They’re He He's He’s She She's She’s His Her Hers Their Our My Your Me Us Them There Here
In On At By For From With Without Into Onto Over Under After Before During Since Until While When Where Why How
What Who Whom Whose Which If As Also And But Or Nor So Yet Then Now Still Just Even Only Like Unlike Following
According Meanwhile However Although Though Because Instead Besides Later Earlier Last Next First Second Finally
Plus Despite Given Per Amid Among About Above Below Around Through Throughout Upon Within Toward Towards Not No
Yes Oh Well Some Many Most More Much Each Every All Both Either Neither Other Another Such One Two Three Four
Five Six Seven Eight Nine Ten Fans Sources Viewers Critics Production Filming Season Episode Series Watch Read
See Check Click Related Our Today Tonight Tomorrow Yesterday Recently Currently Previously Ultimately Fortunately
Unfortunately Sadly Happily Luckily Interestingly Notably Additionally Furthermore Moreover Overall
Created Directed Written Produced Starring Based Inspired Set Known Born Raised Speaking Asked Talking Appearing
Filming Returning Joining Leaving Having Being Executive Nobody Everyone Everybody Someone Somebody Nothing
Everything Anyone Anything
""".split())

# Capitalised words that are never names by themselves.
NOT_NAMES = frozenset("""
I I'm I’m I've I’ve I'd I’d I'll I’ll Mr Mrs Ms Dr Mr. Mrs. Ms. Dr. OK Courtesy
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Exclusive EXCLUSIVE Season Episode Part Chapter
Volume Vol Vol. Dr Dr. Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
""".split())

# Adjectives of nationality: "the Danish series Stille Vand" names no Danish thing.
NATIONALITIES = frozenset("""
American British English French Dutch Greek Thai Swiss Irish Scottish Welsh German Spanish Italian Danish Swedish
Norwegian Finnish Polish Korean Japanese Chinese Mexican Canadian Australian Brazilian Indian African Cuban Israeli
Turkish Russian Ukrainian Icelandic Argentine Argentinian Chilean Colombian Nigerian Egyptian Portuguese Belgian
Austrian Hungarian Czech Filipino European Latin Asian
""".split())

# The last word of an organization's name.
ORGANIZATION_WORDS = frozenset("""
Studios Studio Entertainment Pictures Productions Television TV Network Networks Media Films Records Group Inc Inc.
LLC Ltd Ltd. Agency Management Partners Company Corporation Corp Corp. Channel Broadcasting Animation Films Games
""".split())

# Small words that may stand between a name and the noun it modifies ("Fox reality series").
SMALL_WORDS = frozenset("reality drama comedy scripted limited original animated docuseries musical "
                        "crime teen period fantasy horror anthology streaming hit new upcoming".split())

# "the X series", "a BBC miniseries": the noun, and the type of a title named with it.
SERIES_NOUNS = {
    "series": "TVSeries", "miniseries": "TVSeries", "show": "TVSeries", "sitcom": "TVSeries",
    "docuseries": "TVSeries", "drama": "TVSeries", "comedy": "TVSeries", "spinoff": "TVSeries",
    "spin-off": "TVSeries", "reboot": "TVSeries", "revival": "TVSeries", "thriller": "TVSeries",
    "dramedy": "TVSeries", "procedural": "TVSeries", "anthology": "TVSeries", "soap": "TVSeries",
    "prequel": "TVSeries", "sequel": "TVSeries", "adaptation": "TVSeries", "film": "Movie", "movie": "Movie",
}

# "series Flirty Dancing", "film Magnolia": the noun before a title, and the title's type.
TITLE_NOUNS = {
    **SERIES_NOUNS, "documentary": "Movie", "feature": "Movie", "novel": "Book", "book": "Book",
    "memoir": "Book", "comic": "CreativeWork", "podcast": "CreativeWork", "album": "MusicAlbum",
    "song": "CreativeWork", "musical": "CreativeWork", "franchise": "CreativeWork",
}

# "actor X", "showrunner X": the noun before a person's name.
PERSON_NOUNS = frozenset("""
actor actress star co-star costar singer rapper director producer showrunner creator co-creator writer author
host co-host comedian comic executive model journalist correspondent reporter dancer musician filmmaker novelist
playwright president ceo chairman chairwoman chief boss anchor newcomer veteran alum alumna alumnus legend
sheriff detective officer captain agent king queen prince princess lord lady sir mayor judge senator governor
professor coach uncle aunt doctor nurse dr dr. mr mr. mrs mrs. ms ms. head principal father pastor reverend
deputy sergeant lieutenant colonel chef
""".split())

# "born in X", "based in X": the word before a place.
PLACE_CUES = frozenset("born based raised lives living moved grew".split())

NETWORKS = frozenset("""
Netflix Hulu HBO Peacock Paramount+ Showtime Starz Disney+ AMC FX FXX CBS NBC ABC Fox
CW BBC ITV Bravo TBS TNT Syfy Freeform Lifetime Hallmark MTV VH1 BET Epix MGM+ Nickelodeon
HGTV TLC Crunchyroll Tubi Roku Quibi YouTube
""".split()) | {"HBO Max", "Prime Video", "Amazon Prime Video", "Apple TV+", "The CW", "USA Network",
                 "Comedy Central", "Cartoon Network", "Adult Swim", "Channel 4", "Sky Atlantic", "BBC One",
                 "BBC Two", "BBC America", "Paramount Network", "National Geographic", "A&E", "E!"}

PLATFORMS = frozenset("Twitter Instagram Facebook TikTok Threads Bluesky Snapchat Reddit Substack".split())

HEDGES = ("reportedly", "allegedly", "apparently", "according to", "sources say", "a source says",
          "is said to", "are said to", "rumored", "rumoured", "expected to", "is set to", "are set to",
          "largely", "loosely", "partly", "partially", "mostly", "likely", "possibly")

# Verbs that attribute a quotation to its speaker ("he said", "she raved").
SAYING = frozenset("""
said says told tells wrote writes raved raves added adds continued continues explained explains observed
observes noted notes recalled recalls shared shares revealed reveals joked jokes tweeted tweets posted posts
admitted admits stated states gushed gushes quipped quips insisted insists teased teases declared declares
confirmed confirms announced announces replied replies responded responds shouted exclaimed asked asks
captioned captions remarked remarks mused muses reflected reflects laughed laughs argued argues
""".split())

# Verbs that carry on the speaker of the quotation just before ("he continued, adding: ...").
CONTINUING = frozenset("adding added continuing continued saying writing concluding concluded".split())

NUMBERS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                      "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
ORDINALS = {w: n for n, w in enumerate("zeroth first second third fourth fifth sixth seventh eighth ninth tenth "
                                       "eleventh twelfth thirteenth fourteenth fifteenth".split())}
