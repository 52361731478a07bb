using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Transmission.Central.Access;
using Transmission.Central.Pki;
using Transmission.Central.Review;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using Transmission.Core.Pki;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Pki;

/// <summary>
/// Revocation in force without a restart (docs/protocol.md section 3), against the real Central: the CA revokes with
/// <c>pki revoke</c>, publishes with <c>pki crl --out</c> into Central's CRL path, and Central picks the file up by
/// itself. Each test has its own PKI and Central.
/// </summary>
public sealed class RevocationTests : IAsyncLifetime
{
    private readonly RunningCentral _central = new();
    private CrlPublisher _ca = null!;
    private StationSubmitter _station = null!;

    private DevelopmentPki Pki => _central.Pki;

    public async Task InitializeAsync()
    {
        await _central.InitializeAsync();
        _ca = new CrlPublisher(_central);
        _station = new StationSubmitter(_central);
    }

    public Task DisposeAsync() => _central.DisposeAsync();

    [Fact]
    public async Task RevokedSigningCertificate_NewCrlPickedUp_NewSignatureRefusedEarlierSubmissionReceiptAndTotalsKept()
    {
        var earlier = _station.Sign(_station.Protocol("ST-0001", 1));
        var receipt = (await _station.SubmitAsync(earlier)).Single().Receipt.Envelope;
        using var verifier = _central.ChannelFor(Pki.VerifierDir);
        var totalsBefore = await TotalsAsync(verifier);
        var signingCertificate = Path.Combine(Pki.StationDir("ST-0001"), "signing.cert.pem");

        await _ca.RevokeAsync(signingCertificate);
        var crl = await _ca.PublishAsync();

        var before = await _station.CountsAsync();
        var refused = await _station.SubmitAsync(_station.Sign(_station.Protocol("ST-0001", 2)));
        var rejection = refused.Single().Rejection;
        Assert.Equal("SIGNER_UNTRUSTED", rejection.Code);
        Assert.Equal((int)StatusCode.InvalidArgument, rejection.Status);
        Assert.Contains("SIGNER_UNTRUSTED (REVOKED)", rejection.Message, StringComparison.Ordinal);
        (await _station.CountsAsync()).AssertNothingStoredSince(before);

        // What the key signed before its revocation stays: the submission, its receipt, the totals.
        using var station = _central.ChannelFor(Pki.StationDir("ST-0001"));
        var stored = await station.AsyncUnaryCall(TransmissionMethods.GetReceipt, new GetReceiptRequest { EnvelopeSha256 = ByteString.CopyFrom(earlier.EnvelopeSha256) }).ResponseAsync.DefaultTimeout();
        Assert.Equal(receipt, stored.Receipt.Envelope);
        var board = _central.Services.GetRequiredService<ReviewBoard>();
        await board.RefreshAsync(CancellationToken.None).DefaultTimeout();
        var totalsAfter = await TotalsAsync(verifier);
        Assert.Equal(totalsBefore.Contests, totalsAfter.Contests);
        Assert.Equal((totalsBefore.StationsReported, totalsBefore.EventsApplied), (totalsAfter.StationsReported, totalsAfter.EventsApplied));
        Assert.Equal(await LogSizeAsync(), board.LogSize);

        // The revocation is in the log, after the submission, with the CRL that carried it.
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(signingCertificate);
        var serial = RevocationEntry.CanonicalSerial(certificate);
        var listed = crl.Find(serial)!;
        await using var db = _central.OpenDatabase();
        var revocation = await db.Revocations.SingleAsync().DefaultTimeout();
        var entry = await db.LogEntries.SingleAsync(e => e.Kind == LogEntryKind.Revocation).DefaultTimeout();
        Assert.Equal((serial, 1L), (entry.Reference, entry.Index));
        Assert.Equal(SHA256.HashData([0x00, .. revocation.EntryBytes]), entry.EntrySha256);
        var logged = ParseEntry(revocation.EntryBytes);
        Assert.Equal(certificate.SerialNumberBytes.ToArray(), logged.SerialNumber.ToByteArray());
        Assert.Equal(listed.RevokedAt, logged.RevokedAt.ToDateTimeOffset());
        Assert.Equal((uint)X509RevocationReason.KeyCompromise, logged.Reason);
        Assert.Equal((ulong)crl.Number, logged.CrlNumber);
        Assert.Equal(SHA256.HashData(crl.RawData.Span), logged.CrlSha256.ToByteArray());
        Assert.Equal("urn:transmission:station:ST-0001", logged.SubjectUri);
        Assert.Equal(Pki.Election.ElectionId, logged.ElectionId);
        var row = await db.RevocationLists.SingleAsync(r => r.Number == (long)crl.Number).DefaultTimeout();
        Assert.Equal(row.Id, revocation.RevocationListId);
        Assert.Equal(crl.RawData.ToArray(), row.Der);
        Assert.Equal(logged.ObservedAt.ToDateTimeOffset(), row.LoadedAt);
        Assert.Equal(row.LoadedAt, entry.CreatedAt);

        // The audit bundle's copy of the CRL is the file the CA published, byte for byte.
        var bundled = Assert.Single(await _central.Services.GetRequiredService<SubmissionQueries>().ListRevocationListsAsync(CancellationToken.None).DefaultTimeout(), l => l.Number == (long)crl.Number);
        Assert.Equal($"pki/crls/{crl.Number}.crl.pem", bundled.Path);
        Assert.Equal(await File.ReadAllTextAsync(_ca.CrlPath), bundled.Pem);

        // The other station is not affected, and the board goes on past the revocation entry.
        var other = await _station.SubmitAsync(_station.Sign(_station.Protocol("ST-0002", 1)));
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, other.Single().OutcomeCase);
        await board.RefreshAsync(CancellationToken.None).DefaultTimeout();
        var totalsLater = await TotalsAsync(verifier);
        Assert.Equal(totalsBefore.StationsReported + 1, totalsLater.StationsReported);
        Assert.Equal(totalsBefore.EventsApplied + 1, totalsLater.EventsApplied);
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task RevocationEntry_InTheSignedTree_InclusionProofVerifiesAgainstTheLatestCheckpoint()
    {
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, (await _station.SubmitAsync(_station.Sign(_station.Protocol("ST-0001", 1)))).Single().OutcomeCase);
        await _ca.RevokeAsync(Path.Combine(Pki.StationDir("ST-0002"), "tls.cert.pem"));
        await _ca.PublishAsync();
        await using var db = _central.OpenDatabase();
        var revocation = await db.Revocations.SingleAsync().DefaultTimeout();
        using var auditor = _central.ChannelFor(Pki.AuditorDir);

        var note = (await auditor.AsyncUnaryCall(AuditMethods.GetCheckpoint, new GetCheckpointRequest()).ResponseAsync.DefaultTimeout()).Note.ToStringUtf8();
        var proof = await auditor.AsyncUnaryCall(AuditMethods.GetInclusionProof, new GetInclusionProofRequest
        {
            EntrySha256 = ByteString.CopyFrom(MerkleHash.LeafHash(revocation.EntryBytes)),
        }).ResponseAsync.DefaultTimeout();

        using var signing = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Pki.Root, "central", "signing.cert.pem"));
        var checkpoint = CheckpointNote.Verify(note, new CheckpointKey(LogEntryTypes.Origin(Pki.Election.ElectionId), signing.GetECDsaPublicKey()!));
        Assert.True(checkpoint.IsValid, checkpoint.ToString());
        Assert.Equal(2, checkpoint.Checkpoint!.TreeSize);
        Assert.Equal((ulong)revocation.LogIndex, proof.Index);
        var included = MerkleProofs.VerifyInclusion(MerkleHash.LeafHash(revocation.EntryBytes), revocation.LogIndex, 2, [.. proof.Hashes.Select(h => h.ToByteArray())], checkpoint.Checkpoint.RootHash);
        Assert.True(included.IsValid, included.ToString());
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("station")]
    [InlineData("verifier")]
    [InlineData("auditor")]
    public async Task RevokedTlsCertificate_NewConnectionRefusedAtTheHandshake(string who)
    {
        var folder = who switch
        {
            "station" => Pki.StationDir("ST-0002"),
            "verifier" => Pki.VerifierDir,
            _ => Pki.AuditorDir,
        };
        var uri = who == "station" ? "urn:transmission:station:ST-0002" : $"urn:transmission:{who}:{who}-1";
        // Seen once before the revocation, so Central can name the revoked certificate in the log.
        await CallAsync(_central, folder, who);

        await _ca.RevokeAsync(Path.Combine(folder, "tls.cert.pem"));
        await _ca.PublishAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => CallAsync(_central, folder, who));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains(_central.Logs.Records, r => r.EventId.Id == 4100 && r.Message.Contains("REVOKED", StringComparison.Ordinal));
        await using var db = _central.OpenDatabase();
        Assert.Equal(uri, (await db.Revocations.SingleAsync().DefaultTimeout()).SubjectUri);
        // Everyone else still connects.
        await CallAsync(_central, Pki.StationDir("ST-0001"), "station");
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task RevokedStation_BothCertificates_TlsAndSignatureRefusedTwoEntriesLogged()
    {
        await CallAsync(_central, Pki.StationDir("ST-0002"), "station");
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, (await _station.SubmitAsync(_station.Sign(_station.Protocol("ST-0002", 1)))).Single().OutcomeCase);
        var result = await InProcessCli.Central("pki", "revoke", "--ca", Pki.Ca, "--identity", "ST-0002", "--reason", "key-compromise").Ok();
        Assert.Contains("revoked 2 certificate(s)", result.Output, StringComparison.Ordinal);

        await _ca.PublishAsync();

        await Assert.ThrowsAsync<RpcException>(() => CallAsync(_central, Pki.StationDir("ST-0002"), "station"));
        await using var db = _central.OpenDatabase();
        Assert.Equal(2, await db.Revocations.CountAsync(r => r.SubjectUri == "urn:transmission:station:ST-0002").DefaultTimeout());
    }

    [Fact]
    public async Task RevokedVerifier_ConnectionKeptOpen_NextCallUnauthenticatedRunningWatchEnded()
    {
        using var verifier = _central.ChannelFor(Pki.VerifierDir);
        await TotalsAsync(verifier);
        using var watch = verifier.AsyncServerStreamingCall(ReviewMethods.WatchTotals, new GetTotalsRequest());
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        await _ca.RevokeAsync(Path.Combine(Pki.VerifierDir, "tls.cert.pem"));
        await _ca.PublishAsync();

        // Central ends the running stream; the next call on the same connection is refused.
        var ended = await Record.ExceptionAsync(async () =>
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout())
            {
            }
        });
        Assert.IsType<RpcException>(ended);
        Assert.Contains(_central.Logs.Records, r => r.EventId.Id == 4103);
        var refused = await Assert.ThrowsAsync<RpcException>(() => TotalsAsync(verifier));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("The client certificate of this connection is no longer accepted: REVOKED.", refused.Status.Detail);
        await using var db = _central.OpenDatabase();
        var securityEvent = await db.SecurityEvents.SingleAsync(e => e.Kind == CallerCertificates.RefusedEventKind).DefaultTimeout();
        Assert.Equal("urn:transmission:verifier:verifier-1", securityEvent.CallerUri);
        Assert.StartsWith("REVOKED: ", securityEvent.Detail, StringComparison.Ordinal);
        Assert.Contains("/transmission.v1.Review/GetTotals", securityEvent.Detail, StringComparison.Ordinal);
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task RevokedVerifier_DashboardConnectionKeptOpen_NextRequest403(string version)
    {
        using var browser = Dashboard.DashboardClient.Create(Pki.VerifierDir, Version.Parse(version));
        using (var page = await browser.GetAsync(new Uri(_central.Address, "/")).DefaultTimeout())
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        }

        await _ca.RevokeAsync(Path.Combine(Pki.VerifierDir, "tls.cert.pem"));
        await _ca.PublishAsync();

        using var refused = await browser.GetAsync(new Uri(_central.Address, "/")).DefaultTimeout();
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(System.Net.WebUtility.HtmlEncode("This dashboard is for central verifiers; your certificate is no longer accepted (REVOKED)."), await refused.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
        Assert.Equal("DENY", refused.Headers.GetValues("X-Frame-Options").Single());
        await using var db = _central.OpenDatabase();
        Assert.Contains("GET /", (await db.SecurityEvents.SingleAsync(e => e.Kind == CallerCertificates.RefusedEventKind).DefaultTimeout()).Detail, StringComparison.Ordinal);
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task RevokedSigningCertificate_CrlArrivesWhileAttachmentsAreSent_RefusedAtTheEndNothingStored()
    {
        using var station = _central.ChannelFor(Pki.StationDir("ST-0001"));
        using var call = station.AsyncDuplexStreamingCall(TransmissionMethods.Submit);
        var scan = new byte[1000];
        var signed = _station.Sign(StationSubmitter.WithAttachments(_station.Protocol("ST-0001", 1), scan), [scan]);
        var items = signed.Items("late").ToList();
        var signingCertificate = Path.Combine(Pki.StationDir("ST-0001"), "signing.cert.pem");
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(signingCertificate);
        var known = _central.Services.GetRequiredService<KnownCertificates>();
        await call.RequestStream.WriteAsync(items[0]).DefaultTimeout();
        // Central has verified the start (it remembers the signer then) before the CRL is put in force.
        await WaitUntilAsync(() => known.Find(RevocationEntry.CanonicalSerial(certificate)) is not null);
        var before = await _station.CountsAsync();

        await _ca.RevokeAsync(signingCertificate);
        await _ca.PublishAsync();
        foreach (var item in items.Skip(1))
        {
            await call.RequestStream.WriteAsync(item).DefaultTimeout();
        }

        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        var rejection = call.ResponseStream.Current.Rejection;
        Assert.Equal("SIGNER_UNTRUSTED", rejection.Code);
        Assert.Contains("SIGNER_UNTRUSTED (REVOKED)", rejection.Message, StringComparison.Ordinal);
        var after = await _station.CountsAsync();
        // Nothing of the protocol; only the revocation's log entry.
        Assert.Equal((before.Submissions, before.Blobs, before.Attachments, before.LogEntries + 1), (after.Submissions, after.Blobs, after.Attachments, after.LogEntries));
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("lower number", "CRL_UNTRUSTED")]
    [InlineData("same number, other content", "CRL_UNTRUSTED")]
    [InlineData("bad signature", "CRL_UNTRUSTED")]
    [InlineData("other issuer", "CRL_UNTRUSTED")]
    [InlineData("garbage", "CRL_MALFORMED")]
    [InlineData("half-written", "CRL_MALFORMED")]
    public async Task RefusedCrl_PreviousKeptSecurityEventNothingStored_LaterGoodCrlPickedUp(string what, string reason)
    {
        var older = await File.ReadAllTextAsync(_ca.CrlPath);
        var inForce = await _ca.PublishAsync();
        await _ca.RevokeAsync(Path.Combine(Pki.StationDir("ST-0002"), "tls.cert.pem"));
        var next = await _ca.SignAsync();
        var bad = what switch
        {
            "lower number" => older,
            "same number, other content" => await _ca.SignAsync(number: (long)inForce.Number),
            "bad signature" => CrlPublisher.Tamper(next),
            "other issuer" => await OtherCaCrlAsync(),
            "garbage" => "not a CRL\n",
            _ => next[..(next.Length / 2)],
        };
        await using (var db = _central.OpenDatabase())
        {
            var stored = (await db.RevocationLists.CountAsync().DefaultTimeout(), await db.LogEntries.CountAsync().DefaultTimeout());

            var refused = await _ca.WriteAndWaitAsync(bad, atomically: what != "half-written", c => c.Result == CrlCheckResult.Refused);

            Assert.Equal(reason, refused.ReasonCode);
            Assert.Equal(inForce.Number, refused.NumberInForce);
            Assert.Equal(inForce.Number, _central.Services.GetRequiredService<ReloadableElectionTrust>().Current.Revocations.Number);
            Assert.Equal(stored, (await db.RevocationLists.CountAsync().DefaultTimeout(), await db.LogEntries.CountAsync().DefaultTimeout()));
            var securityEvent = await db.SecurityEvents.SingleAsync(e => e.Kind == CrlUpdater.RefusedEventKind).DefaultTimeout();
            Assert.StartsWith(reason + ": ", securityEvent.Detail, StringComparison.Ordinal);
        }

        // The revocation in the refused file is not in force: ST-0002 still connects.
        await CallAsync(_central, Pki.StationDir("ST-0002"), "station");

        var good = await _ca.WriteAndWaitAsync(next, atomically: true, c => c.Result == CrlCheckResult.InForce);
        Assert.True(good.NumberInForce > inForce.Number);
        await Assert.ThrowsAsync<RpcException>(() => CallAsync(_central, Pki.StationDir("ST-0002"), "station"));
        _central.Logs.AssertNoUnexpectedErrors(r => r.EventId.Id == 4111);
    }

    [Fact]
    public async Task RefusedCrl_CheckedAgainUnchanged_OneSecurityEventOnly()
    {
        await _ca.WriteAndWaitAsync("garbage\n", atomically: true, c => c.Result == CrlCheckResult.Refused);

        var again = await _central.Services.GetRequiredService<CrlUpdater>().CheckAsync("test", CancellationToken.None).DefaultTimeout();

        Assert.Equal(CrlCheckResult.Unchanged, again.Result);
        await using var db = _central.OpenDatabase();
        Assert.Equal(1, await db.SecurityEvents.CountAsync(e => e.Kind == CrlUpdater.RefusedEventKind).DefaultTimeout());
        _central.Logs.AssertNoUnexpectedErrors(r => r.EventId.Id == 4111);
    }

    [Fact]
    public async Task SameCrlWrittenAgain_UnchangedNothingStored()
    {
        var inForce = await File.ReadAllTextAsync(_ca.CrlPath);
        var stored = await LogSizeAsync();

        var check = await _ca.WriteAndWaitAsync(inForce + "\n", atomically: true, _ => true);

        Assert.Equal(CrlCheckResult.Unchanged, check.Result);
        Assert.Equal(stored, await LogSizeAsync());
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task PeriodicCheck_NothingChanged_Unchanged()
    {
        var pending = _ca.NextCheckAsync(c => c.Trigger.Contains(CrlWatcher.PeriodicTrigger, StringComparison.Ordinal));

        _central.Services.GetRequiredService<CrlWatcher>().RequestCheck(CrlWatcher.PeriodicTrigger);

        Assert.Equal(CrlCheckResult.Unchanged, (await pending).Result);
    }

    [Fact]
    public void CrlReloadInterval_OutOfRange_OneReadableLine()
    {
        var options = Pki.CentralOptions();
        options.Pki.CrlReloadInterval = TimeSpan.Zero;

        Assert.Equal("Central:Pki:CrlReloadInterval 00:00:00 is not between 00:00:01 and 1.00:00:00.", options.Validate(Pki.Root));
    }

    internal static async Task CallAsync(RunningCentral central, string folder, string who)
    {
        using var channel = central.ChannelFor(folder);
        switch (who)
        {
            case "station":
                await channel.AsyncUnaryCall(TransmissionMethods.Handshake, new HandshakeRequest()).ResponseAsync.DefaultTimeout();
                break;
            case "verifier":
                await TotalsAsync(channel);
                break;
            default:
                await channel.AsyncUnaryCall(AuditMethods.GetCheckpoint, new GetCheckpointRequest()).ResponseAsync.DefaultTimeout();
                break;
        }
    }

    private async Task<string> OtherCaCrlAsync()
    {
        var other = Path.Combine(Pki.Root, "other-ca");
        await InProcessCli.Central("pki", "init-ca", "--ca", other, "--name", "Test Election Root").Ok();
        return await File.ReadAllTextAsync(Path.Combine(other, "crl.pem"));
    }

    private async Task<long> LogSizeAsync()
    {
        await using var db = _central.OpenDatabase();
        return await db.LogEntries.LongCountAsync().DefaultTimeout();
    }

    private static async Task<Totals> TotalsAsync(GrpcChannel verifier) =>
        await verifier.AsyncUnaryCall(ReviewMethods.GetTotals, new GetTotalsRequest()).ResponseAsync.DefaultTimeout();

    // For a state Central reaches on its own with no event to wait on; bounded.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(20);
        }
    }

    private static LoggedRevocation ParseEntry(byte[] entry)
    {
        var prefix = System.Text.Encoding.ASCII.GetBytes($"DSSEv1 {LogEntryTypes.Revocation.Length} {LogEntryTypes.Revocation} ");
        Assert.Equal(prefix, entry[..prefix.Length]);
        var rest = System.Text.Encoding.ASCII.GetString(entry, prefix.Length, entry.Length - prefix.Length);
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var body = entry[(prefix.Length + space + 1)..];
        Assert.Equal(int.Parse(rest[..space], System.Globalization.CultureInfo.InvariantCulture), body.Length);
        Assert.Equal(entry, Pae.Encode(LogEntryTypes.Revocation, body));
        return LoggedRevocation.Parser.ParseFrom(body);
    }
}

/// <summary>A Central restarted on the same database and CRL file: nothing stored twice, nothing revoked undone.</summary>
public sealed class RevocationRestartTests
{
    [Fact]
    public async Task Restart_CrlAndEntriesNotDuplicated_OlderFilePutBackDoesNotUndoTheRevocation()
    {
        using var pki = new DevelopmentPki();
        await pki.InitializeAsync();
        var crlPath = Path.Combine(pki.Root, "crl.pem");
        var older = await File.ReadAllTextAsync(crlPath);
        RevocationList crl;
        (int, int, long) stored;
        await using (var central = new RunningCentral(pki, pkiOwnedByCaller: true))
        {
            await central.InitializeAsync();
            var ca = new CrlPublisher(central);
            Assert.Equal((1, 0, 0L), await CountsAsync(central));
            await RevocationTests.CallAsync(central, pki.StationDir("ST-0002"), "station");
            await ca.RevokeAsync(Path.Combine(pki.StationDir("ST-0002"), "tls.cert.pem"));
            crl = await ca.PublishAsync();
            stored = await CountsAsync(central);
            Assert.Equal((2, 1, 1L), stored);
            central.Logs.AssertNoUnexpectedErrors();
        }

        await using (var restarted = new RunningCentral(pki, pkiOwnedByCaller: true))
        {
            await restarted.InitializeAsync();
            Assert.Equal(stored, await CountsAsync(restarted));
            await Assert.ThrowsAsync<RpcException>(() => RevocationTests.CallAsync(restarted, pki.StationDir("ST-0002"), "station"));
            restarted.Logs.AssertNoUnexpectedErrors();
        }

        // Someone puts the older CRL back and restarts Central: the revocation it put in force stays in force.
        await File.WriteAllTextAsync(crlPath, older);
        await using var rolledBack = new RunningCentral(pki, pkiOwnedByCaller: true);
        await rolledBack.InitializeAsync();

        Assert.Equal(crl.Number, rolledBack.Services.GetRequiredService<ReloadableElectionTrust>().Current.Revocations.Number);
        await Assert.ThrowsAsync<RpcException>(() => RevocationTests.CallAsync(rolledBack, pki.StationDir("ST-0002"), "station"));
        Assert.Equal(stored, await CountsAsync(rolledBack));
        await using var db = rolledBack.OpenDatabase();
        var refusal = await db.SecurityEvents.SingleAsync(e => e.Kind == CrlUpdater.RefusedEventKind).DefaultTimeout();
        Assert.StartsWith("CRL_UNTRUSTED: ", refusal.Detail, StringComparison.Ordinal);
        Assert.Contains("is not the newest CRL Central put in force", refusal.Detail, StringComparison.Ordinal);
        rolledBack.Logs.AssertNoUnexpectedErrors(r => r.EventId.Id == 4119);
    }

    private static async Task<(int Lists, int Revocations, long LogSize)> CountsAsync(RunningCentral central)
    {
        await using var db = central.OpenDatabase();
        return (await db.RevocationLists.CountAsync().DefaultTimeout(), await db.Revocations.CountAsync().DefaultTimeout(), await db.LogEntries.LongCountAsync().DefaultTimeout());
    }
}
