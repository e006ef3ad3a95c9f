"""camp-lsp driven by an independent LSP client (pytest-lsp, on lsprotocol):
open the example packages, wait for diagnostics, ask for hover, completion,
definition and a code action, and check the answers.

Run: pip install -r lsp/tests/e2e/requirements.txt && cargo build -p camp-lsp
     && pytest lsp/tests/e2e
"""

import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

REPO = pathlib.Path(__file__).resolve().parents[3]
SERVER = REPO / "target" / "debug" / "camp-lsp"
INCIDENT = REPO / "examples" / "incident-2025-01-16" / "promotion.camp"
CAMPAIGN = REPO / "examples" / "platform" / "campaigns" / "new_users.camp"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[str(SERVER)]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16])
            ),
            root_uri=REPO.as_uri(),
        )
    )
    yield
    await lsp_client.shutdown_session()


async def open_and_wait(client: LanguageClient, path: pathlib.Path) -> list:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="camp", version=1, text=path.read_text())
        )
    )
    while uri not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


def position_of(path: pathlib.Path, needle: str, offset: int = 0) -> types.Position:
    for line_number, line in enumerate(path.read_text().splitlines()):
        column = line.find(needle)
        if column >= 0:
            return types.Position(line=line_number, character=column + offset)
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.mark.asyncio
async def test_the_incident_gets_its_ten_errors_and_fixes(client: LanguageClient):
    diagnostics = await open_and_wait(client, INCIDENT)
    codes = sorted(d.code for d in diagnostics)
    assert codes == sorted(["E0407", "E0501", "E0206", "E0402", "E0403", "E0403", "E0403", "E0403", "E0403", "E0701"])
    rate = next(d for d in diagnostics if d.code == "E0701")
    assert rate.range.start == position_of(INCIDENT, "rate: 20,", 6)
    assert "write `20%`" in rate.message
    assert rate.related_information and "parameter `rate`" in rate.related_information[0].message

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=INCIDENT.as_uri()),
            position=position_of(INCIDENT, "government_subsidy", 3),
        )
    )
    assert "fund government_subsidy" in hover.contents.value
    assert "requires" in hover.contents.value

    definition = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=INCIDENT.as_uri()),
            position=position_of(INCIDENT, "government_subsidy", 3),
        )
    )
    location = definition if isinstance(definition, types.Location) else definition[0]
    assert location.uri.endswith("/incident-2025-01-16/schema.camp")


@pytest.mark.asyncio
async def test_a_clean_campaign_completes_and_offers_a_suppression(client: LanguageClient):
    diagnostics = await open_and_wait(client, CAMPAIGN)
    assert list(diagnostics) == []

    completion = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=CAMPAIGN.as_uri()),
            position=position_of(CAMPAIGN, "fund: ", 6),
        )
    )
    items = completion if isinstance(completion, list) else completion.items
    labels = {item.label for item in items}
    assert "platform_marketing" in labels and "merchant_purchase" not in labels

    # A finding as the editor would send it back: the server offers to suppress it.
    finding = types.Diagnostic(
        range=types.Range(start=position_of(CAMPAIGN, "campaign "), end=position_of(CAMPAIGN, "campaign ", 8)),
        message="campaign has no rollout",
        code="no-rollout",
        source="campc",
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=CAMPAIGN.as_uri()),
            range=finding.range,
            context=types.CodeActionContext(diagnostics=[finding]),
        )
    )
    titles = [action.title for action in actions]
    assert "Suppress `no-rollout` here (with a reason)" in titles
