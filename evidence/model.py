"""Pydantic models of the evidence file (Swedish field names, snake_case ASCII keys)."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    FiniteFloat,
    StringConstraints,
    WithJsonSchema,
)

from evidence.checks import Words, check_text, iso_date, ja_nej, namn_eller_nej, not_personnummer, svar, version_is_int
from evidence.terms import REGULATIONS, SVAR, Area


def _spoken(*words: str, booleans: bool = False) -> dict[str, Any]:
    """The JSON Schema of an answer: the words the file format writes, the same in any case (a pattern, as the
    loader reads them), and YAML's true / false where they stand for ja / nej."""
    spelled = ("".join(r"\s+" if c == " " else f"[{c}{c.upper()}]" if c.isalpha() else c for c in w) for w in words)
    pattern = {"type": "string", "pattern": rf"^\s*(?:{'|'.join(spelled)})\s*$"}
    return {"anyOf": [{"enum": list(words)}, pattern, *([{"type": "boolean"}] if booleans else [])]}


# Answers are read the same way everywhere (evidence/checks.py): the words in any case, or YAML's true / false.
JaNej = Annotated[bool, BeforeValidator(ja_nej), WithJsonSchema(_spoken("ja", "nej", booleans=True))]
Svar = Annotated[Literal[SVAR], BeforeValidator(svar), WithJsonSchema(_spoken(*SVAR, booleans=True))]


def closed(*words: str) -> Any:
    """A value from a closed set of words, read in any case ('Pågående' is 'pågående') like every answer."""
    return Annotated[Literal[words], BeforeValidator(Words(*words)), WithJsonSchema(_spoken(*words))]


Utfall = closed("uppfyllt", "ej uppfyllt", "ej tillämpligt")
Bedomningstyp = closed("självvärdering", "inspektion", "förbedömning")
Regelverk = closed(*REGULATIONS)


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(check_text),
]
Namn = Annotated[Text, AfterValidator(not_personnummer)]  # a person's name or pseudonym
NamnEllerNej = Annotated[
    Namn | bool,
    BeforeValidator(namn_eller_nej),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "minLength": 1, "not": {"enum": ["ja", "Ja", "JA"]}}, {"const": False}]}
    ),
]
Specialitet = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1), AfterValidator(check_text)
]


class PastDate:
    """Marker: a date that cannot lie after the assessment date."""


Dag = Annotated[date, BeforeValidator(iso_date)]  # every date of the file formats: ÅÅÅÅ-MM-DD, never a number
Datum = Annotated[Dag, PastDate()]


Version = Annotated[Literal[1], BeforeValidator(version_is_int)]  # the file format's version


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, defer_build=True)


class Sidotjanstgoring(Model):
    verksamhet: Text = Field(title="verksamhet", description="Till exempel BVC, MVC eller SÄBO.")
    var: Text = Field(title="var sidotjänstgöringen görs", description="Till exempel en annan vårdcentral.")


class Enhet(Model):
    namn: Text = Field(title="enhetens namn")
    vardgivare: Text = Field(title="vårdgivare")
    specialitet: Specialitet = Field(title="specialitet", description="Till exempel allmänmedicin.")
    region: Text = Field(title="region")
    senaste_externa_granskning: Datum | None = Field(
        None, title="senaste externa granskning", description="Datum för senaste SPUR-inspektion eller motsvarande."
    )
    listade: int | None = Field(None, ge=0, title="antal listade patienter")
    ansvarar_for: list[Text] | None = Field(
        None, title="verksamheter som enheten ansvarar för", description="Till exempel BVC, MVC, SÄBO."
    )
    sidotjanstgoring_annanstans: list[Sidotjanstgoring] | None = Field(
        None,
        title="sidotjänstgöring på annat håll",
        description="Verksamheter som enheten inte har och där ST-läkarna i stället gör sidotjänstgöring.",
    )


class Bedomning(Model):
    datum: Dag = Field(title="bedömningsdatum", description="Alla tidsfönster räknas från detta datum.")
    typ: Bedomningstyp = Field(title="typ av bedömning")
    bedomare: list[Namn] = Field([], title="bedömare")


class Verksamhetschef(Model):
    namn: Namn = Field(title="verksamhetschefens namn")


class Medarbetare(Model):
    specialister: int | None = Field(None, ge=0, title="specialister i enhetens specialitet")
    specialister_tjanstgoringsgrad: int | None = Field(
        None,
        ge=0,
        title="specialisternas sammanlagda tjänstgöringsgrad i procent",
        description="Summan av specialisternas tjänstgöringsgrader: 380 är 3,8 heltider.",
    )
    at_lakare: int | None = Field(None, ge=0, title="AT-läkare")
    vikarierande_lakare: int | None = Field(None, ge=0, title="vikarierande läkare")
    lakarmoten_per_manad: int | None = Field(None, ge=0, title="schemalagda läkarmöten per månad")
    basgrupp: JaNej | None = Field(None, title="basgrupp eller reflektion i grupp för ST-läkarna")


class Handledarutbildning(Model):
    genomford: JaNej = Field(title="handledarutbildning genomförd")
    datum: Datum | None = Field(None, title="datum för handledarutbildning")
    regelverk: Regelverk | None = Field(None, title="regelverk som utbildningen avsåg")


class Studierektor(Model):
    namn: Namn = Field(title="studierektorns namn")
    specialistkompetens: JaNej | None = Field(None, title="studierektorn är specialist")
    specialitet: Specialitet | None = Field(None, title="studierektorns specialitet")
    handledarutbildning: Handledarutbildning | None = Field(None, title="studierektorns handledarutbildning")


class Handledare(Model):
    namn: Namn = Field(title="handledarens namn")
    huvudhandledare: JaNej = Field(False, title="huvudhandledare")
    legitimerad_lakare: JaNej | None = Field(None, title="legitimerad läkare")
    specialistkompetens: JaNej | None = Field(None, title="bevis om specialistkompetens")
    specialitet: Specialitet | None = Field(None, title="handledarens specialitet")
    handledarutbildning: Handledarutbildning | None = Field(None, title="handledarutbildning")
    senaste_uppdatering: Datum | None = Field(
        None,
        title="senaste utbildning/uppdatering",
        description="Senaste fortbildning eller uppdatering för handledare.",
    )
    tjanstgor_vid_enheten: JaNej | None = Field(None, title="tjänstgör vid enheten")


class IupInnehall(Model):
    utgar_fran_malbeskrivningen: JaNej | None = Field(None, title="utgår från målbeskrivningen")
    interna_utbildningsaktiviteter: JaNej | None = Field(None, title="planerade interna utbildningsaktiviteter")
    externa_utbildningsaktiviteter: JaNej | None = Field(None, title="planerade externa utbildningsaktiviteter")
    tid_for_sjalvstudier: JaNej | None = Field(None, title="planerad tid för självstudier")


class Uppfoljning(Model):
    datum: Datum = Field(title="datum")
    sammanhang: Text | None = Field(
        None, title="sammanhang", description="Handledning, årskontroll med studierektor, utvecklingssamtal …"
    )


class Iup(Model):
    finns: JaNej = Field(title="individuellt utbildningsprogram finns")
    upprattad: Datum | None = Field(None, title="IUP upprättad")
    senast_reviderad: Datum | None = Field(
        None,
        title="IUP senast reviderad",
        description="Datum för senaste revision; för en IUP som ännu inte har reviderats: datum då den upprättades.",
    )
    innehall: IupInnehall | None = Field(None, title="IUP:ns innehåll")
    uppfoljningar: list[Uppfoljning] | None = Field(
        None,
        title="uppföljningar av IUP",
        description="En post per gång IUP:n har följts upp, med datum och sammanhang (handledning, årskontroll …).",
    )


class Handledning(Model):
    schemalagd: JaNej | None = Field(None, title="handledning inplanerad i tjänstgöringen")
    minuter_per_vecka: int | None = Field(None, ge=0, le=7 * 24 * 60, title="handledning, minuter per vecka")


class Tillfalle(Model):
    datum: Datum = Field(title="datum")
    titel: Text | None = Field(None, title="titel")
    sammanhang: Text | None = Field(None, title="sammanhang", description="Möte, kongress, utbildning e.d.")


Bedomningsmetod = closed("Mini-CEX", "DOPS", "CbD", "360-graders", "sit-in", "bedömningssamtal", "annan")


class Kompetensbedomning(Model):
    datum: Datum = Field(title="datum")
    metod: Bedomningsmetod = Field(
        title="bedömningsmetod",
        description="Mini-CEX, DOPS, CbD, 360-graders, sit-in, bedömningssamtal eller annan.",
    )


class Indikator(Model):
    namn: Text = Field(title="indikatorns namn", description="Till exempel 'Andel patienter med …'.")
    riktning: closed("minska", "öka") = Field(title="önskad riktning")
    startvarde: FiniteFloat = Field(title="startvärde")
    startdatum: Datum | None = Field(None, title="startdatum")
    malvarde: FiniteFloat = Field(title="målvärde")
    maldatum: Dag | None = Field(None, title="måldatum")  # a target: may lie after the assessment date
    kalla: Text | None = Field(None, title="datakälla")
    resultat: FiniteFloat | None = Field(None, title="resultat")
    resultatdatum: Datum | None = Field(None, title="resultatdatum")


class Forbattringsarbete(Model):
    titel: Text = Field(title="titel")
    status: closed("planerat", "pågående", "genomfört") = Field(title="status")
    indikatorer: list[Indikator] = Field([], title="indikatorer")


class VetenskapligtArbete(Model):
    status: closed("ej påbörjat", "planerat", "pågående", "genomfört") = Field(title="status")
    titel: Text | None = Field(None, title="titel")
    avsatt_tid: JaNej | None = Field(None, title="avsatt tid i schemat")


class StLakare(Model):
    namn: Namn = Field(title="namn eller pseudonym")
    regelverk: Regelverk = Field(title="regelverk")
    st_paborjad: Datum | None = Field(None, title="ST påbörjad", description="Datum då ST-läkaren påbörjade sin ST.")
    huvudhandledare: NamnEllerNej | None = Field(
        None, title="huvudhandledare", description="Namnet på en handledare i listan, eller nej om ingen är utsedd."
    )
    introduktion: JaNej | None = Field(None, title="har fått introduktion till tjänstgöringen")
    iup: Iup | None = Field(None, title="individuellt utbildningsprogram (IUP)")
    handledning: Handledning | None = Field(None, title="handledning")
    senaste_utvecklingssamtal: Datum | None = Field(None, title="senaste utvecklingssamtal")
    senaste_kompetensbedomning: Datum | None = Field(
        None,
        title="senaste dokumenterade kompetensbedömning",
        description="Ersatt av kompetensbedomningar: ett enstaka datum visar inte att bedömningen är fortlöpande.",
        deprecated=True,
    )
    kompetensbedomningar: list[Kompetensbedomning] | None = Field(
        None,
        title="kompetensbedömningar",
        description="En post per dokumenterad bedömning av ST-läkarens kompetens: datum och metod.",
    )
    sidotjanstgoring_foljs_upp: JaNej | None = Field(None, title="sidotjänstgöringen följs upp")
    presentationer: list[Tillfalle] | None = Field(
        None,
        title="presentationer",
        description="Egna arbeten presenterade vid vetenskapliga/professionella sammankomster.",
    )
    undervisning: list[Tillfalle] | None = Field(None, title="undervisningstillfällen")
    forbattringsarbete: list[Forbattringsarbete] | None = Field(None, title="förbättringsarbete")
    vetenskapligt_arbete: VetenskapligtArbete | None = Field(None, title="skriftligt individuellt arbete")


class ForutsattningarForbattringsarbete(Model):
    """What the unit gives for each ST-läkare's förbättringsarbete."""

    st_deltar_i_enhetens_arbete: JaNej | None = Field(
        None, title="ST-läkarna deltar i enhetens patientsäkerhets- och kvalitetsarbete under hela ST"
    )
    avsatt_tid_veckor: FiniteFloat | None = Field(
        None, ge=0, title="avsatt tid i schemat för förbättringsarbetet, veckor totalt"
    )
    forbattringskunskap: JaNej | None = Field(
        None, title="kurs eller självstudier i förbättringskunskap och patientsäkerhet"
    )
    verksamhetschef_delaktig: JaNej | None = Field(
        None, title="verksamhetschefen är med och väljer problem och avgör tiden"
    )
    redovisas_muntligt_och_skriftligt: JaNej | None = Field(None, title="arbetet redovisas muntligt och skriftligt")
    bedoms_och_intygas_av_handledare: JaNej | None = Field(
        None, title="handledaren granskar, bedömer och intygar arbetet"
    )


class ForutsattningarVetenskapligtArbete(Model):
    """What the unit gives for each ST-läkare's skriftliga individuella arbete."""

    avsatt_tid: JaNej | None = Field(None, title="avsatt tid i schemat för det vetenskapliga arbetet")
    vetenskaplig_handledning: JaNej | None = Field(None, title="vetenskaplig handledare för arbetet")


class Forutsattningar(Model):
    forbattringsarbete: ForutsattningarForbattringsarbete | None = Field(
        None, title="förutsättningar för förbättringsarbete"
    )
    vetenskapligt_arbete: ForutsattningarVetenskapligtArbete | None = Field(
        None, title="förutsättningar för skriftligt individuellt arbete"
    )


class LakareUtanSt(Model):
    namn: Namn = Field(title="namn eller pseudonym")
    individuellt_utbildningsprogram: JaNej | None = Field(None, title="har individuellt utbildningsprogram")
    handledare: NamnEllerNej | None = Field(
        None, title="handledare", description="Namnet på en handledare i listan, eller nej om ingen är utsedd."
    )


class Dokumentpost(Model):
    finns: JaNej = Field(title="dokumentet finns")
    datum: Datum | None = Field(None, title="dokumentets datum")
    titel: Text | None = Field(None, title="dokumentets titel")


class PlanInternUtbildning(Dokumentpost):
    kopplad_till_delmal: JaNej | None = Field(
        None,
        title="kopplad till delmålen",
        description="Nej om planen finns men inte är kopplad till delmålen.",
    )


class Dokument(Model):
    riktlinjer_st: Dokumentpost | None = Field(None, title="vårdgivarens riktlinjer för ST")
    riktlinjer_kompetensbedomning: Dokumentpost | None = Field(None, title="riktlinjer för bedömning av kompetens")
    rutin_kvalitetsuppfoljning: Dokumentpost | None = Field(None, title="rutin för kvalitetsuppföljning av ST")
    handledningsinstruktioner: Dokumentpost | None = Field(None, title="skriftliga instruktioner för handledning")
    uppdragsbeskrivning_studierektor: Dokumentpost | None = Field(None, title="uppdragsbeskrivning för studierektor")
    riktlinjer_malbeskrivning: Dokumentpost | None = Field(None, title="riktlinjer för uttolkning av målbeskrivningen")
    introduktionsprogram: Dokumentpost | None = Field(None, title="introduktionsprogram för ST-läkare")
    rutin_kompetensbedomning: Dokumentpost | None = Field(None, title="rutin för bedömning av kompetens")
    rutin_dokumentation_bedomning: Dokumentpost | None = Field(None, title="rutin för dokumentation av bedömningar")
    plan_intern_utbildning: PlanInternUtbildning | None = Field(None, title="plan för intern teoretisk utbildning")


class Intyg(Model):
    svar: Svar | None = Field(None, title="svar", description="ja, nej eller ej tillämpligt; tomt = underlag saknas.")
    underlag: Text | None = Field(
        None, title="underlag", description="Vad som styrker svaret: dokument, intervju, enkät …"
    )
    kommentar: Text | None = Field(None, title="kommentar")


class Inspektorsbedomning(Model):
    utfall: Utfall = Field(title="utfall")
    motivering: Text = Field(title="motivering")


class Observation(Model):
    text: Text | None = Field(None, title="löptext")
    styrkor: list[Text] = Field([], title="styrkor")
    svagheter: list[Text] = Field([], title="svagheter")
    forbattringspotential: list[Text] = Field([], title="förbättringspotential")


class Evidens(Model):
    version: Version = Field(1, title="filformatets version")
    enhet: Enhet
    bedomning: Bedomning
    verksamhetschef: Verksamhetschef | None = None
    medarbetare: Medarbetare | None = Field(None, title="läkarna vid enheten")
    studierektor: Studierektor | None = None
    handledare: list[Handledare] | None = None
    st_lakare: list[StLakare] | None = Field(None, title="ST-läkare")
    bt_lakare: list[LakareUtanSt] | None = Field(None, title="BT-läkare")
    vantar_pa_st: list[LakareUtanSt] | None = Field(None, title="legitimerade läkare som väntar på ST")
    dokument: Dokument | None = None
    forutsattningar: Forutsattningar | None = Field(
        None, title="enhetens förutsättningar för kvalitets- och vetenskapligt arbete"
    )
    intyganden: dict[str, Intyg] = Field({}, title="intyganden per krav-id")
    inspektorsbedomningar: dict[str, Inspektorsbedomning] = Field({}, title="inspektörens bedömningar")
    sammanfattning: Observation | None = None
    observationer: dict[Area, Observation] = Field({}, title="observationer per område")
