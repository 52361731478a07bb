using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Transmission.Central.Storage;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Review;

/// <summary>
/// The Review service over real mutual TLS: the queue, one submission in full, attachments, decisions (stored,
/// appended to the log, final) and totals.
/// </summary>
public sealed class ReviewServiceTests(ReviewCentral fixture) : IClassFixture<ReviewCentral>
{
    [Fact]
    public async Task ListSubmissions_AfterSubmit_ShowsTheStationsLatestRevisionPending()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0001"));
        using var channel = fixture.Verifier();

        var page = await ReviewCentral.Call(channel, ReviewMethods.ListSubmissions, new ListSubmissionsRequest { Municipality = fixture.MunicipalityOf("ST-0001"), PageSize = 500 });

        var row = Assert.Single(page.Submissions, s => s.StationCode == "ST-0001");
        Assert.Equal(signed.Revision, row.Revision);
        Assert.Equal(ReviewState.Pending, row.State);
        Assert.Equal(signed.EnvelopeSha256, row.EnvelopeSha256.ToByteArray());
        Assert.Equal(fixture.MunicipalityOf("ST-0001"), row.Municipality);
        Assert.All(page.Submissions, s => Assert.Equal(fixture.MunicipalityOf("ST-0001"), s.Municipality));
        fixture.Central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ListSubmissions_NotReported_ListsOnlyStationsThatHaveSentNothing()
    {
        using var channel = fixture.Verifier();

        var page = await ReviewCentral.Call(channel, ReviewMethods.ListSubmissions, new ListSubmissionsRequest { Reporting = ReportingFilter.NotReported, PageSize = 500 });

        // ST-0006 is never used by any test of this class.
        var row = Assert.Single(page.Submissions, s => s.StationCode == "ST-0006");
        Assert.Equal(0u, row.Revision);
        Assert.Equal(ReviewState.Unspecified, row.State);
        Assert.True(row.EnvelopeSha256.IsEmpty);
        Assert.All(page.Submissions, s => Assert.Equal(0u, s.Revisions));
    }

    [Fact]
    public async Task ListSubmissions_Paging_EveryStationOnceInCodeOrder()
    {
        using var channel = fixture.Verifier();
        var seen = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await ReviewCentral.Call(channel, ReviewMethods.ListSubmissions, new ListSubmissionsRequest { PageSize = 2, PageToken = token });
            Assert.Equal(6u, page.TotalMatching);
            Assert.InRange(page.Submissions.Count, 1, 2);
            seen.AddRange(page.Submissions.Select(s => s.StationCode));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(fixture.Pki.Stations, seen);
    }

    [Theory]
    [InlineData(501u, "", "", "", "page_size 501 is above the limit of 500.")]
    [InlineData(0u, "x", "", "", "page_token is not one this service gave out.")]
    [InlineData(0u, "", "NOWHERE", "", "municipality NOWHERE is not in the election's registry.")]
    [InlineData(0u, "", "", "NOT_A_FLAG", "flag NOT_A_FLAG is not a flag code (or \"*\" for any flag).")]
    public async Task ListSubmissions_BadRequest_InvalidArgument(uint pageSize, string token, string municipality, string flag, string expected)
    {
        using var channel = fixture.Verifier();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReviewCentral.Call(channel, ReviewMethods.ListSubmissions,
            new ListSubmissionsRequest { PageSize = pageSize, PageToken = token, Municipality = municipality, Flag = flag }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(expected, ex.Status.Detail);
    }

    [Fact]
    public async Task GetSubmission_FlaggedWithScan_ShowsNumbersFactsFlagsAndAttachment()
    {
        var scan = RandomNumberGenerator.GetBytes(3000);
        var clean = fixture.FreshProtocol("ST-0002");
        // One more invalid ballot than the form's used count allows: VALID_INVALID_NOT_USED.
        var flagged = Transmission.Central.Tests.Submission.StationSubmitter.WithAttachments(clean, scan) with
        {
            Ballots = clean.Ballots with { Invalid = clean.Ballots.Invalid + 1 },
            Explanation = "One ballot was counted twice; the commission knows.",
        };
        var signed = await fixture.SubmitAsync(flagged, [scan]);
        using var channel = fixture.Verifier();

        var detail = await ReviewCentral.Call(channel, ReviewMethods.GetSubmission, new GetSubmissionRequest { EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256) });

        Assert.Equal(signed.Envelope, detail.Envelope.ToByteArray());
        Assert.Equal((ulong)flagged.Ballots.Invalid, detail.Protocol.Ballots.Invalid);
        Assert.Equal("One ballot was counted twice; the commission knows.", detail.Explanation);
        var flag = Assert.Single(detail.Flags, f => f.Code == "VALID_INVALID_NOT_USED");
        Assert.Contains("but ballots used is", flag.Message, StringComparison.Ordinal);
        Assert.Contains(detail.Summary.Flags, f => f.Code == "VALID_INVALID_NOT_USED");
        Assert.Equal("urn:transmission:station:ST-0002", detail.Verification.SignerUri);
        Assert.Equal(Transmission.Contracts.Mapping.EnvelopeMapping.Parse(signed.Envelope).Envelope!.Signatures[0].Algorithm, detail.Verification.Algorithm);
        Assert.StartsWith(EcdsaP256.AlgorithmName, detail.Verification.Algorithm, StringComparison.Ordinal);
        Assert.Equal(PayloadTypes.ResultProtocol, detail.Verification.PayloadType);
        Assert.Equal(fixture.Pki.Election.Sha256, detail.Verification.DefinitionSha256.ToByteArray());
        var attachment = Assert.Single(detail.Attachments);
        Assert.Equal(SHA256.HashData(scan), attachment.Sha256.ToByteArray());
        Assert.Equal((ulong)scan.Length, attachment.Size);
        Assert.Equal(signed.Revision, detail.Revisions[^1].Revision);

        var content = await ReviewCentral.Call(channel, ReviewMethods.GetAttachment, new GetAttachmentRequest { EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256), Index = 0 });
        Assert.Equal(scan, content.Content.ToByteArray());
        Assert.Equal("image/png", content.MediaType);

        var flaggedPage = await ReviewCentral.Call(channel, ReviewMethods.ListSubmissions, new ListSubmissionsRequest { Flag = "VALID_INVALID_NOT_USED", PageSize = 500 });
        Assert.Contains(flaggedPage.Submissions, s => s.StationCode == "ST-0002");
        Assert.All(flaggedPage.Submissions, s => Assert.Contains(s.Flags, f => f.Code == "VALID_INVALID_NOT_USED"));
    }

    [Fact]
    public async Task Corrections_BoardKeepsOnlyLatestAndCertifiedDecoded_SupersededReadBackFromStorage()
    {
        // ST-0004: revision a accepted, b rejected, c pending; then c accepted and d sent.
        using var channel = fixture.Verifier();
        var board = fixture.Central.Services.GetRequiredService<Transmission.Central.Review.ReviewBoard>();
        var protocols = new[] { 11L, 12, 13, 14 }.Select(seed => fixture.FreshProtocol("ST-0004", seed)).ToArray();
        // b is flagged: one more invalid ballot than its used count allows (VALID_INVALID_NOT_USED).
        protocols[1] = protocols[1] with { Ballots = protocols[1].Ballots with { Invalid = protocols[1].Ballots.Invalid + 1 } };
        var a = await fixture.SubmitAsync(protocols[0]);
        await DecideAsync(channel, a, Decision.Accept);
        var b = await fixture.SubmitAsync(protocols[1]);
        await DecideAsync(channel, b, Decision.Reject);
        var c = await fixture.SubmitAsync(protocols[2]);
        await board.RefreshAsync(CancellationToken.None);

        var revisions = board.GetStation("ST-0004")!.Revisions.Where(r => r.Revision >= a.Revision).ToArray();
        Assert.Equal([(int)a.Revision, (int)b.Revision, (int)c.Revision], revisions.Select(r => r.Revision));
        Assert.NotNull(revisions[0].Protocol);   // certified
        Assert.Null(revisions[1].Protocol);      // rejected and superseded: neither protocol nor flags kept
        Assert.Empty(revisions[1].Flags);
        Assert.NotNull(revisions[2].Protocol);   // latest

        var area = new GetTotalsRequest { Municipality = fixture.MunicipalityOf("ST-0004") };
        var before = await ReviewCentral.Call(channel, ReviewMethods.GetTotals, area);
        await DecideAsync(channel, c, Decision.Accept);
        await fixture.SubmitAsync(protocols[3]);
        await board.RefreshAsync(CancellationToken.None);
        revisions = board.GetStation("ST-0004")!.Revisions.Where(r => r.Revision >= a.Revision).ToArray();
        Assert.Equal([false, false, true, true], revisions.Select(r => r.Protocol is not null));

        // The certified totals moved from a's figures to c's, the provisional ones from c's to d's.
        var after = await ReviewCentral.Call(channel, ReviewMethods.GetTotals, area);
        Assert.Equal(protocols[2].Ballots.Used - protocols[0].Ballots.Used, (long)after.BallotsUsedCertified - (long)before.BallotsUsedCertified);
        Assert.Equal(protocols[3].Ballots.Used - protocols[2].Ballots.Used, (long)after.BallotsUsedProvisional - (long)before.BallotsUsedProvisional);

        // A superseded revision still shows in full: its numbers and explanation come from the stored envelope.
        var detail = await ReviewCentral.Call(channel, ReviewMethods.GetSubmission, new GetSubmissionRequest { EnvelopeSha256 = ReviewCentral.Sha(b.EnvelopeSha256) });
        Assert.Equal(b.Envelope, detail.Envelope.ToByteArray());
        Assert.Equal(b.Revision, detail.Protocol.Revision);
        Assert.Equal((ulong)protocols[1].Ballots.Used, detail.Protocol.Ballots.Used);
        Assert.Equal(protocols[1].CorrectionReason, detail.Revisions.Single(r => r.Revision == b.Revision).CorrectionReason);
        Assert.Equal(ReviewState.Rejected, detail.Revisions.Single(r => r.Revision == b.Revision).State);
        var flag = Assert.Single(detail.Flags, f => f.Code == "VALID_INVALID_NOT_USED");
        Assert.Contains("but ballots used is", flag.Message, StringComparison.Ordinal);
        fixture.Central.Logs.AssertNoUnexpectedErrors();
    }

    private static Task<DecideResponse> DecideAsync(GrpcChannel channel, Transmission.Central.Tests.Submission.SignedProtocol signed, Decision decision) =>
        ReviewCentral.Call(channel, ReviewMethods.Decide, new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256), Decision = decision, Reason = "Checked against the paper form." });

    [Fact]
    public async Task GetSubmission_UnknownEnvelope_NotFound()
    {
        using var channel = fixture.Verifier();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReviewCentral.Call(channel, ReviewMethods.GetSubmission, new GetSubmissionRequest { EnvelopeSha256 = ReviewCentral.Sha(new byte[32]) }));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("No submission has this envelope SHA-256.", ex.Status.Detail);
    }

    [Fact]
    public async Task Decide_Accept_StoresTheDecisionAppendsItToTheLogAndCertifiesTheVotes()
    {
        var protocol = fixture.FreshProtocol("ST-0003");
        var signed = await fixture.SubmitAsync(protocol);
        using var channel = fixture.Verifier();
        var before = await ReviewCentral.Call(channel, ReviewMethods.GetTotals, new GetTotalsRequest());
        long logSize;
        await using (var db = fixture.Central.OpenDatabase())
        {
            logSize = await db.LogEntries.CountAsync();
        }

        var response = await ReviewCentral.Call(channel, ReviewMethods.Decide, new DecideRequest
        {
            EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256),
            Decision = Decision.Accept,
            Reason = "  Numbers match the scanned form.  ",
        });

        Assert.Equal(ReviewState.Accepted, response.State);
        Assert.Equal((ulong)logSize, response.LogIndex);
        await using (var db = fixture.Central.OpenDatabase())
        {
            var entry = await db.LogEntries.SingleAsync(e => e.Index == logSize);
            Assert.Equal(LogEntryKind.Decision, entry.Kind);
            var row = await db.ReviewDecisions.SingleAsync(d => d.LogIndex == logSize);
            Assert.Equal(DecisionState.Accepted, row.State);
            Assert.Equal("Numbers match the scanned form.", row.Reason);
            Assert.Equal("urn:transmission:verifier:verifier-1", row.VerifierUri);
            Assert.Equal(ReviewCentral.LeafHash(row.EntryBytes), entry.EntrySha256);
            var logged = LoggedDecisionOf(row.EntryBytes);
            Assert.Equal("ST-0003", logged.StationCode);
            Assert.Equal(signed.Revision, logged.Revision);
            Assert.Equal(signed.EnvelopeSha256, logged.EnvelopeSha256.ToByteArray());
            Assert.Equal(Decision.Accept, logged.Decision);
            Assert.Equal("Numbers match the scanned form.", logged.Reason);
            Assert.Equal("urn:transmission:verifier:verifier-1", logged.VerifierUri);
        }

        var after = await ReviewCentral.Call(channel, ReviewMethods.GetTotals, new GetTotalsRequest());
        Assert.Equal(before.StationsCertified + 1, after.StationsCertified);
        foreach (var contest in protocol.Contests)
        {
            foreach (var choice in contest.Choices)
            {
                var was = before.Contests.Single(c => c.ContestId == contest.ContestId).Certified.Single(c => c.ChoiceId == choice.ChoiceId).Votes;
                var now = after.Contests.Single(c => c.ContestId == contest.ContestId).Certified.Single(c => c.ChoiceId == choice.ChoiceId).Votes;
                Assert.Equal(was + (ulong)choice.Votes, now);
            }
        }

        var detail = await ReviewCentral.Call(channel, ReviewMethods.GetSubmission, new GetSubmissionRequest { EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256) });
        var decision = Assert.Single(detail.Revisions[^1].Decisions);
        Assert.Equal("urn:transmission:verifier:verifier-1", decision.VerifierUri);
        Assert.Equal(signed.Revision, detail.Summary.CertifiedRevision);
        fixture.Central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Decide_Twice_AlreadyDecidedAndNothingAppended()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0004"));
        using var channel = fixture.Verifier();
        var request = new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256), Decision = Decision.Reject, Reason = "The scan is of another station's form." };
        await ReviewCentral.Call(channel, ReviewMethods.Decide, request);
        var counts = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReviewCentral.Call(channel, ReviewMethods.Decide, new DecideRequest(request) { Decision = Decision.Accept, Reason = "Changed my mind." }));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("ALREADY_DECIDED: this revision was already decided (Rejected); decisions are final. A change needs a new revision from the station.", ex.Status.Detail);
        Assert.Equal(counts, await CountsAsync());
    }

    [Theory]
    [InlineData("", StatusCode.InvalidArgument, "REASON_REQUIRED: every decision needs a reason.")]
    [InlineData("   ", StatusCode.InvalidArgument, "REASON_REQUIRED: every decision needs a reason.")]
    public async Task Decide_NoReason_RefusedAndNothingStored(string reason, StatusCode status, string expected)
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0005"));
        using var channel = fixture.Verifier();
        var counts = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReviewCentral.Call(channel, ReviewMethods.Decide,
            new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256), Decision = Decision.Accept, Reason = reason }));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(expected, ex.Status.Detail);
        Assert.Equal(counts, await CountsAsync());
    }

    [Fact]
    public async Task Decide_ReasonTooLong_RefusedAndNothingStored()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0005"));
        using var channel = fixture.Verifier();
        var counts = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReviewCentral.Call(channel, ReviewMethods.Decide,
            new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256), Decision = Decision.Accept, Reason = new string('x', 2001) }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("REASON_TOO_LONG: the reason is longer than 2000 characters.", ex.Status.Detail);
        Assert.Equal(counts, await CountsAsync());
    }

    [Fact]
    public async Task Decide_UnspecifiedDecision_UnknownDecisionAndNothingStored()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0005"));
        using var channel = fixture.Verifier();
        var counts = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReviewCentral.Call(channel, ReviewMethods.Decide,
            new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256), Reason = "Fine." }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("UNKNOWN_DECISION: decision must be ACCEPT, REJECT or REQUEST_RECOUNT.", ex.Status.Detail);
        Assert.Equal(counts, await CountsAsync());
    }

    [Fact]
    public async Task Decide_EarlierRevision_SupersededAndNothingStored()
    {
        var earlier = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0005"));
        await fixture.SubmitAsync(fixture.FreshProtocol("ST-0005"));
        using var channel = fixture.Verifier();
        var counts = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReviewCentral.Call(channel, ReviewMethods.Decide,
            new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(earlier.EnvelopeSha256), Decision = Decision.Accept, Reason = "Looks right." }));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("SUPERSEDED: the station has sent a later revision; decide on the latest one.", ex.Status.Detail);
        Assert.Equal(counts, await CountsAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public async Task Decide_EnvelopeShaNot32Bytes_InvalidArgument(int length)
    {
        using var channel = fixture.Verifier();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReviewCentral.Call(channel, ReviewMethods.Decide,
            new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(new byte[length]), Decision = Decision.Accept, Reason = "x" }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("envelope_sha256 must be the 32-byte SHA-256 of the envelope bytes.", ex.Status.Detail);
    }

    [Fact]
    public async Task Decide_UnknownEnvelope_NotFoundAndNothingStored()
    {
        using var channel = fixture.Verifier();
        var counts = await CountsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReviewCentral.Call(channel, ReviewMethods.Decide,
            new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(SHA256.HashData("nothing"u8)), Decision = Decision.Accept, Reason = "x" }));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(counts, await CountsAsync());
    }

    [Fact]
    public async Task ReviewDecisions_UpdateOrDeleteInTheDatabase_RefusedByTheDatabase()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0004"));
        using var channel = fixture.Verifier();
        await ReviewCentral.Call(channel, ReviewMethods.Decide, new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256), Decision = Decision.RequestRecount, Reason = "Recount box 2." });
        await using var db = fixture.Central.OpenDatabase();

        var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"ReviewDecisions\" SET \"Reason\" = 'edited'"));
        var delete = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"ReviewDecisions\""));
        var log = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"LogEntries\""));

        // SQLite's triggers (migration ReviewDecisions) and PostgreSQL's (transmission_append_only) word it differently.
        var sqlite = db.Database.IsSqlite();
        Assert.Contains(sqlite ? "review decisions are append-only" : "ReviewDecisions is append-only: UPDATE refused", update.Message, StringComparison.Ordinal);
        Assert.Contains(sqlite ? "review decisions are append-only" : "ReviewDecisions is append-only: DELETE refused", delete.Message, StringComparison.Ordinal);
        Assert.Contains(sqlite ? "the log is append-only" : "LogEntries is append-only: DELETE refused", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchTotals_NewSubmission_SendsUpdatedTotals()
    {
        using var channel = fixture.Verifier();
        using var cancel = new CancellationTokenSource();
        using var call = channel.AsyncServerStreamingCall(ReviewMethods.WatchTotals, new GetTotalsRequest(), new CallOptions(CancellationToken: cancel.Token));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        var first = call.ResponseStream.Current;

        var protocol = fixture.FreshProtocol("ST-0001", seed: 11);
        await fixture.SubmitAsync(protocol);

        Totals next;
        do
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
            next = call.ResponseStream.Current;
        }
        while (next.EventsApplied == first.EventsApplied);

        Assert.True(next.EventsApplied > first.EventsApplied);
        Assert.NotEqual(first.Contests, next.Contests);
        await cancel.CancelAsync();
    }

    [Fact]
    public async Task Export_TwiceOnTheSameData_ByteIdenticalAndCarriesEnvelopeHashes()
    {
        var signed = await fixture.SubmitAsync(fixture.FreshProtocol("ST-0002", seed: 5));
        using var channel = fixture.Verifier();

        var first = await ExportAsync(channel, ExportKind.Stations, ExportFormat.Csv);
        var second = await ExportAsync(channel, ExportKind.Stations, ExportFormat.Csv);
        var json = await ExportAsync(channel, ExportKind.Stations, ExportFormat.Json);
        var totals = await ExportAsync(channel, ExportKind.Totals, ExportFormat.Csv);

        Assert.Equal("stations.csv", first.Name);
        Assert.Equal(first.Bytes, second.Bytes);
        var hex = Convert.ToHexStringLower(signed.EnvelopeSha256);
        Assert.Contains(hex, System.Text.Encoding.UTF8.GetString(first.Bytes), StringComparison.Ordinal);
        Assert.Contains(hex, System.Text.Encoding.UTF8.GetString(json.Bytes), StringComparison.Ordinal);
        Assert.StartsWith("area,", System.Text.Encoding.UTF8.GetString(totals.Bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_UnspecifiedKind_InvalidArgument()
    {
        using var channel = fixture.Verifier();

        var ex = await Assert.ThrowsAsync<RpcException>(() => ExportAsync(channel, ExportKind.Unspecified, ExportFormat.Csv));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("kind must be STATIONS or TOTALS.", ex.Status.Detail);
    }

    internal static async Task<(string Name, byte[] Bytes)> ExportAsync(GrpcChannel channel, ExportKind kind, ExportFormat format)
    {
        using var call = channel.AsyncServerStreamingCall(ReviewMethods.Export, new ExportRequest { Kind = kind, Format = format });
        using var output = new MemoryStream();
        var name = string.Empty;
        while (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout())
        {
            if (call.ResponseStream.Current.FileName.Length > 0)
            {
                name = call.ResponseStream.Current.FileName;
            }

            call.ResponseStream.Current.Data.WriteTo(output);
        }

        return (name, output.ToArray());
    }

    private static LoggedDecision LoggedDecisionOf(byte[] entry)
    {
        var prefix = Pae.Encode("application/vnd.transmission.decision.v1+protobuf", []);
        // PAE ends with the body length and a space; re-encode with the real body to find where it starts.
        for (var bodyStart = prefix.Length - 2; bodyStart < entry.Length; bodyStart++)
        {
            var body = entry.AsSpan(bodyStart).ToArray();
            if (Pae.Encode("application/vnd.transmission.decision.v1+protobuf", body).AsSpan().SequenceEqual(entry))
            {
                return LoggedDecision.Parser.ParseFrom(body);
            }
        }

        throw new Xunit.Sdk.XunitException("The entry is not PAE(decision type, body).");
    }

    private async Task<(int Decisions, int LogEntries, int Submissions)> CountsAsync()
    {
        await using var db = fixture.Central.OpenDatabase();
        return (await db.ReviewDecisions.CountAsync(), await db.LogEntries.CountAsync(), await db.Submissions.CountAsync());
    }
}
