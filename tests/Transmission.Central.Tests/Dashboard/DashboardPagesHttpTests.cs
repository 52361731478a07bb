using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Transmission.Central.Dashboard;
using Transmission.Central.Review;
using Transmission.Central.Tests.Review;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Transmission.Testing;
using CoreReviewState = Transmission.Core.Review.ReviewState;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>
/// The review pages over HTTP with the verifier's certificate, for what a browser test cannot see well: the scan's
/// exact bytes and headers, the exports against the gRPC Export, the decision form's POST without a browser
/// (antiforgery, a decision never chosen, a second decision), and the answers to addresses edited by hand.
/// </summary>
public sealed partial class DashboardPagesHttpTests(ReviewCentral fixture) : IClassFixture<ReviewCentral>
{
    private const string NoSuchEnvelope = "0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public async Task GetAttachment_StoredPng_ExactBytesAsPngInlineWithNosniff()
    {
        var scan = TestPng.Create(2, 2, (x, y) => ((byte)(x * 255), (byte)(y * 255), 128));
        var signed = await fixture.SubmitAsync(StationSubmitter.WithAttachments(fixture.FreshProtocol("ST-0001"), scan), [scan]);
        var hex = Convert.ToHexStringLower(signed.EnvelopeSha256);
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(fixture.Central.Address, $"/submissions/{hex}/attachments/0")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(scan, await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
        Assert.Equal("image/png", response.Content.Headers.ContentType?.ToString());
        Assert.Equal($"inline; filename=\"scan-{hex[..12]}-0.png\"", response.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(DashboardAccess.ContentSecurityPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
    }

    [Theory]
    [InlineData(NoSuchEnvelope + "/attachments/0", "No attachment 0 for this envelope.")]
    [InlineData("not-a-sha256/attachments/0", "No such attachment.")]
    [InlineData(NoSuchEnvelope + "/attachments/-1", "No such attachment.")]
    public async Task GetAttachment_UnknownEnvelopeOrIndex_404(string path, string message)
    {
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(fixture.Central.Address, "/submissions/" + path)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(message, await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Fact]
    public async Task GetAttachment_IndexTheSubmissionDoesNotHave_404()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0001"));
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(fixture.Central.Address, $"/submissions/{Convert.ToHexStringLower(signed.EnvelopeSha256)}/attachments/0")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No attachment 0 for this envelope.", await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Theory]
    [InlineData("sq", "Ky zarf nuk ka shtojcën 0.", "Nuk ka shtojcë të tillë.", "Nuk ka eksport të tillë.")]
    [InlineData("sr-Latn", "Ova koverta nema prilog 0.", "Takav prilog ne postoji.", "Takav izvoz ne postoji.")]
    [InlineData("en", "No attachment 0 for this envelope.", "No such attachment.", "No such export.")]
    public async Task GetAttachmentOrExport_Missing_AnswerInTheBrowsersLanguage(string language, string noIndex, string noAttachment, string noExport)
    {
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        var index = await GetInLanguageAsync(client, $"/submissions/{NoSuchEnvelope}/attachments/0", language);
        var address = await GetInLanguageAsync(client, "/submissions/not-a-sha256/attachments/0", language);
        var export = await GetInLanguageAsync(client, "/exports/stations.xml", language);

        Assert.Equal((HttpStatusCode.NotFound, noIndex), index);
        Assert.Equal((HttpStatusCode.NotFound, noAttachment), address);
        Assert.Equal((HttpStatusCode.NotFound, noExport), export);
    }

    [Theory]
    [InlineData("sq", "Ky zarf nuk ka shtojcën 0.")]
    [InlineData("sr-Latn", "Ova koverta nema prilog 0.")]
    [InlineData("en", "No attachment 0 for this envelope.")]
    public async Task GetAttachment_Missing_LanguageChosenOnTheSwitchWinsOverTheBrowsers(string language, string expected)
    {
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);
        using (var chosen = await client.GetAsync(new Uri(fixture.Central.Address, $"/language/{language}?return=/")).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        }

        // The browser asks for another language; the cookie the switch set decides.
        var answer = await GetInLanguageAsync(client, $"/submissions/{NoSuchEnvelope}/attachments/0", language == "sq" ? "sr-Latn" : "sq");

        Assert.Equal((HttpStatusCode.NotFound, expected), answer);
    }

    [Theory]
    [InlineData("image/png", "image/png", "inline; filename=\"scan-0123456789ab-2.png\"")]
    [InlineData("image/jpeg", "image/jpeg", "inline; filename=\"scan-0123456789ab-2.jpg\"")]
    [InlineData("application/pdf", "application/pdf", "attachment; filename=\"scan-0123456789ab-2.pdf\"")]
    [InlineData("text/html", "application/octet-stream", "attachment; filename=\"scan-0123456789ab-2.bin\"")]
    [InlineData("image/svg+xml", "application/octet-stream", "attachment; filename=\"scan-0123456789ab-2.bin\"")]
    public void AttachmentHeaders_OnlyPngAndJpegShownPdfAndAnythingElseDownloaded(string stored, string contentType, string disposition)
    {
        var headers = AttachmentEndpoint.Headers(stored, "0123456789abcdef" + NoSuchEnvelope[16..], 2);

        Assert.Equal((contentType, disposition), headers);
    }

    [Fact]
    public async Task GetExport_EveryFile_TheGrpcExportsBytesAsAnAttachment()
    {
        await fixture.SubmitAsync(fixture.FreshProtocol("ST-0002"));
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);
        using var channel = fixture.Verifier();

        foreach (var (file, kind, format) in ExportEndpoint.Files)
        {
            using var response = await client.GetAsync(new Uri(fixture.Central.Address, "/exports/" + file)).DefaultTimeout();
            var contractKind = kind == Central.Exports.ExportKind.Stations ? ExportKind.Stations : ExportKind.Totals;
            var contractFormat = format == Central.Exports.ExportFormat.Csv ? ExportFormat.Csv : ExportFormat.Json;
            var (name, grpcBytes) = await ReviewServiceTests.ExportAsync(channel, contractKind, contractFormat);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(name, file);
            Assert.Equal(grpcBytes, await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
            Assert.Equal(ExportEndpoint.ContentType(format), response.Content.Headers.ContentType?.ToString());
            Assert.Equal($"attachment; filename=\"{file}\"", response.Content.Headers.ContentDisposition?.ToString());
        }
    }

    [Fact]
    public async Task GetExport_UnknownFile_404()
    {
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(fixture.Central.Address, "/exports/stations.xml")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PostDecision_WithoutAntiforgeryToken_400AndNothingStored()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0003"));
        var before = await StoredAsync();
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        using var response = await client.PostAsync(SubmissionUri(signed), Form(("Decision", "ACCEPT"), ("Reason", "Numbers match."))).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task PostDecision_NoDecisionChosen_UnknownDecision422AndNothingStored()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0003"));
        var before = await StoredAsync();
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);
        var token = await TokenAsync(client, signed);

        using var response = await client.PostAsync(SubmissionUri(signed), Form(("__RequestVerificationToken", token), ("Reason", "Numbers match."))).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.Contains("UNKNOWN_DECISION: decision must be ACCEPT, REJECT or REQUEST_RECOUNT.", html, StringComparison.Ordinal);
        Assert.Contains(">Numbers match.</textarea>", html, StringComparison.Ordinal);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task PostDecision_Recount_303ThenTheDecisionOnThePageAndASecondDecisionRefused409()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0004"));
        var hex = Convert.ToHexStringLower(signed.EnvelopeSha256);
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);
        var token = await TokenAsync(client, signed);

        using var posted = await client.PostAsync(SubmissionUri(signed), Form(("__RequestVerificationToken", token), ("Decision", "REQUEST_RECOUNT"), ("Reason", "  P03 differs from the scan by 10.  "))).DefaultTimeout();

        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Equal($"/submissions/{hex}?decided=true#decision-result", posted.Headers.Location?.OriginalString);
        var board = fixture.Central.Services.GetRequiredService<ReviewBoard>();
        var decision = board.FindByEnvelope(hex)!.Value.Revision.Decision!;
        Assert.Equal(CoreReviewState.RecountRequested, decision.State);
        Assert.Equal("P03 differs from the scan by 10.", decision.Reason);
        Assert.Equal("urn:transmission:verifier:verifier-1", decision.VerifierUri);
        using var shown = await client.GetAsync(new Uri(fixture.Central.Address, $"/submissions/{hex}?decided=true")).DefaultTimeout();
        var html = await shown.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.Contains($"<strong>Recount requested; log index {decision.LogIndex}</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"decision-form\"", html, StringComparison.Ordinal);

        // The form is gone, but a second POST (a page left open in another tab) is refused, not recorded.
        var before = await StoredAsync();
        using var again = await client.PostAsync(SubmissionUri(signed), Form(("__RequestVerificationToken", token), ("Decision", "ACCEPT"), ("Reason", "Fine after all."))).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("ALREADY_DECIDED: this revision was already decided (RecountRequested)", await again.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
        Assert.Equal(before, await StoredAsync());
        fixture.Central.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("/queue?municipality=99", "The queue cannot show this: municipality 99 is not in the election&#x27;s registry.")]
    [InlineData("/queue?flag=NOT_A_FLAG", "The queue cannot show this: flag NOT_A_FLAG is not a flag code (or &quot;*&quot; for any flag).")]
    [InlineData("/queue?state=done", "The queue cannot show this: state done is not a review state (pending, accepted, rejected, recount or any).")]
    [InlineData("/queue?size=501", "The queue cannot show this: size 501 is above the limit of 500.")]
    [InlineData("/queue?offset=-1", "The queue cannot show this: offset -1 is not a row number.")]
    [InlineData("/totals?municipality=99", "The totals cannot show this: municipality 99 is not in the election&#x27;s registry.")]
    public async Task Get_FilterEditedByHand_400WithTheSentence(string path, string sentence)
    {
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(fixture.Central.Address, path)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(sentence, await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NoSuchEnvelope)]
    [InlineData("not-hex")]
    public async Task GetSubmission_UnknownEnvelope_404WithTheSentence(string envelope)
    {
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(fixture.Central.Address, "/submissions/" + envelope)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No submission has this envelope SHA-256.", await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTotalsSection_OnlyTheSectionForTheScript()
    {
        var municipality = fixture.MunicipalityOf("ST-0005");
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(fixture.Central.Address, "/totals?handler=section&municipality=" + municipality)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = (await response.Content.ReadAsStringAsync().DefaultTimeout()).Trim();
        Assert.StartsWith("<section class=\"totals\"", html, StringComparison.Ordinal);
        Assert.EndsWith("</section>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        var name = fixture.Pki.Election.Municipalities.Single(m => m.Code == municipality).Name.Default;
        Assert.Contains($"Totals for {name}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetScript_ServedByCentralAsJavaScript()
    {
        using var client = DashboardClient.Create(fixture.Pki.VerifierDir);

        using var response = await client.GetAsync(new Uri(fixture.Central.Address, "/assets/totals-live.js")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-live-url", await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    private Uri SubmissionUri(SignedProtocol signed) => new(fixture.Central.Address, "/submissions/" + Convert.ToHexStringLower(signed.EnvelopeSha256));

    // The decision form's antiforgery token (the cookie half stays in the client's cookie container).
    private async Task<string> TokenAsync(HttpClient client, SignedProtocol signed)
    {
        using var page = await client.GetAsync(SubmissionUri(signed)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var match = AntiforgeryField().Match(await page.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.True(match.Success, "the decision form carries an antiforgery token");
        return match.Groups[1].Value;
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private async Task<(int Decisions, int LogEntries)> StoredAsync()
    {
        await using var db = fixture.Central.OpenDatabase();
        return (await db.ReviewDecisions.CountAsync().DefaultTimeout(), await db.LogEntries.CountAsync().DefaultTimeout());
    }

    /// <summary>A GET with <c>Accept-Language</c>: the status and the plain-text answer, which must say it is UTF-8.</summary>
    private async Task<(HttpStatusCode Status, string Text)> GetInLanguageAsync(HttpClient client, string path, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Central.Address, path));
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await client.SendAsync(request).DefaultTimeout();
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
