"""The facts of the seed document (../shared/seed/) are all in the graph, with their sources."""

from __future__ import annotations

from akke_graph.load import LoadedGraph

P = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX frapo: <http://purl.org/cerif/frapo/> PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX akke: <https://w3id.org/akke/ontology#>
"""
SEED = "https://businessturku.fi/hankkeet/akke-alueellisten-ekosysteemien-kehittaminen-turun-seudulla/"
WPS = {
    1: ("Koordinaatio", {"Turun kaupunki", "Turku Science Park Oy"}),
    2: ("Resurssiviisaat ratkaisut ja kiertotalouden markkinoiden vahvistaminen", {"Turun kaupunki"}),
    3: ("Teollinen bio- ja kiertotalous toiminta Turun seutukunnassa", {"Turku Science Park Oy"}),
    4: ("Smart Blue Industry -toimintakonsepti ja ekosysteemi", {"Turku Science Park Oy"}),
    5: ("Digitaaliset palveluverkot", {"Turun kaupunki"}),
    6: ("ICT -alan näkyvyys sekä kansalliset ja kansainväliset verkostot", {"Turku Science Park Oy"}),
    7: ("Lääkekehitystä tukeva ja osaamispohjaa laajentava toiminta", {"Turku Science Park Oy"}),
}
CONTACTS = {"Aino Ukkola": {1}, "Reeta Huhtinen": {3}, "Kari Sillanpää": {4, 6}, "Tero Piispanen": {7}}


def rows(loaded: LoadedGraph, query: str) -> list[dict[str, str]]:
    return [{k: v.value for k, v in r.items()} for r in loaded.store.select(P + query)]


def test_project_names_period_and_source(loaded: LoadedGraph) -> None:
    [row] = rows(loaded, """SELECT ?fi ?en ?acr ?start ?end ?src WHERE {
        <https://w3id.org/akke/id/project/akke-turku> a org:OrganizationalCollaboration ; dcterms:title ?fi , ?en ;
            frapo:hasAcronym ?acr ; dcterms:temporal [ dcat:startDate ?start ; dcat:endDate ?end ] ;
            dcterms:source ?src .
        FILTER(lang(?fi) = "fi" && lang(?en) = "en") }""")
    assert row["fi"] == "AKKE – Alueellisten ekosysteemien kehittäminen Turun seudulla"
    assert row["en"] == "AKKE – Development of regional ecosystems in the Turku region"
    assert (row["acr"], row["start"], row["end"], row["src"]) == ("AKKE", "2021-05-01", "2021-12-31", SEED)


def test_partners_and_roles(loaded: LoadedGraph) -> None:
    found = rows(loaded, """SELECT ?name ?role WHERE {
        ?m org:organization <https://w3id.org/akke/id/project/akke-turku> ; org:member ?o ; org:role ?r .
        ?o skos:prefLabel ?name FILTER(lang(?name) = "fi") ?r skos:prefLabel ?role FILTER(lang(?role) = "fi") }""")
    assert {(r["name"], r["role"]) for r in found} == {
        ("Turun kaupunki", "hankepartneri"), ("Turun kaupunki", "päätoteuttaja"),
        ("Turku Science Park Oy", "hankepartneri")}
    [tasks] = rows(loaded, """SELECT ?d WHERE { ?m org:member <https://w3id.org/akke/id/organisation/turku-science-park> ;
        dcterms:description ?d FILTER(lang(?d) = "en") }""")
    assert "networks" in tasks["d"]


def test_funding_chain(loaded: LoadedGraph) -> None:
    found = rows(loaded, """SELECT ?agent ?role ?programme WHERE {
        <https://w3id.org/akke/id/project/akke-turku> frapo:isFundedBy ?grant . ?grant dcterms:isPartOf ?p ;
            prov:qualifiedAttribution [ prov:agent ?a ; prov:hadRole ?r ] .
        ?a skos:prefLabel ?agent FILTER(lang(?agent) = "fi") ?r skos:prefLabel ?role FILTER(lang(?role) = "fi")
        ?p dcterms:title ?programme FILTER(lang(?programme) = "fi") }""")
    assert {(r["agent"], r["role"]) for r in found} == {
        ("Työ- ja elinkeinoministeriö", "rahoittaja"), ("Varsinais-Suomen liitto", "rahoittajaviranomainen")}
    assert {r["programme"] for r in found} == {"Alueiden kestävän kasvun ja elinvoiman tukeminen"}


def test_seven_work_packages_with_responsible_organisations(loaded: LoadedGraph) -> None:
    found = rows(loaded, """SELECT ?n ?title ?org WHERE {
        ?wp dcterms:isPartOf <https://w3id.org/akke/id/project/akke-turku> ; skos:notation ?n ; dcterms:title ?title ;
            prov:qualifiedAssociation [ prov:agent ?o ; prov:hadRole <https://w3id.org/akke/id/role/responsible-organisation> ] .
        FILTER(lang(?title) = "fi") ?o skos:prefLabel ?org FILTER(lang(?org) = "fi") }""")
    got: dict[int, tuple[str, set[str]]] = {}
    for r in found:
        got.setdefault(int(r["n"]), (r["title"], set()))[1].add(r["org"])
    assert got == WPS


def test_four_contact_persons_with_their_work_packages(loaded: LoadedGraph) -> None:
    found = rows(loaded, """SELECT ?name ?n ?org WHERE {
        ?wp skos:notation ?n ; prov:qualifiedAssociation [ prov:agent ?p ; prov:hadRole <https://w3id.org/akke/id/role/contact-person> ] .
        ?p foaf:name ?name ; org:memberOf ?o . ?o skos:prefLabel ?org FILTER(lang(?org) = "fi") }""")
    got: dict[str, set[int]] = {}
    for r in found:
        assert r["org"] == "Turku Science Park Oy"
        got.setdefault(r["name"], set()).add(int(r["n"]))
    assert got == CONTACTS
    # Nothing the source does not give: no e-mail, phone or title for anyone.
    assert not rows(loaded, """SELECT ?p WHERE { ?p a foaf:Person ;
        (foaf:mbox|foaf:phone|foaf:title|<http://www.w3.org/2006/vcard/ns#hasEmail>) ?x }""")


def test_business_ids_and_their_source(loaded: LoadedGraph) -> None:
    found = rows(loaded, """SELECT ?org ?id ?src WHERE { GRAPH ?g { ?o adms:identifier/skos:notation ?id }
        ?g prov:wasDerivedFrom ?src . ?o skos:prefLabel ?org FILTER(lang(?org) = "fi") }""")
    facts = {(r["org"], r["id"], r["src"]) for r in found}
    assert {   # the seed's two, from the project's page in the EU funding register
        ("Turun kaupunki", "0204819-8", "https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi=A70202"),
        ("Turku Science Park Oy", "2322323-1", "https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi=A70202"),
    } <= facts
    # the imported table's: every business ID in the graph of a page that names it
    assert len({i for _, i, _ in facts}) == 28
    assert all(src.startswith(("https://", "http://")) for _, _, src in facts)


def test_sixteen_ecosystem_agreements_with_cities(loaded: LoadedGraph) -> None:
    found = rows(loaded, """SELECT ?a (COUNT(?city) AS ?cities) WHERE { ?a a akke:EcosystemAgreement ;
        dcterms:spatial/akke:includesCity ?city ; akke:contractingParty <https://w3id.org/akke/id/organisation/tyo-ja-elinkeinoministerio> }
        GROUP BY ?a""")
    assert len(found) == 16
    assert sum(int(r["cities"]) for r in found) == 20
    assert loaded.store.ask(P + "ASK { <https://w3id.org/akke/id/project/akke-turku> frapo:enables <https://w3id.org/akke/id/agreement/turku> }")


def test_every_data_file_names_existing_sources(loaded: LoadedGraph) -> None:
    for source in loaded.data_files:
        srcs = rows(loaded, f"SELECT ?s WHERE {{ <{source.graph}> prov:wasDerivedFrom ?s . ?s a foaf:Document }}")
        assert srcs, source.display
