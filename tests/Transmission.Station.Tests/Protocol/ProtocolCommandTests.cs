using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Transmission.Contracts.Mapping;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Station.Outbox;
using StationOutbox = Transmission.Station.Outbox.Outbox;
using Transmission.Station.Tests.Support;
using V1 = Transmission.Contracts.V1;

namespace Transmission.Station.Tests.Protocol;

public sealed class ProtocolCommandTests
{
    [Fact]
    public async Task TemplateFillCheckSign_ValidProtocol_QueuedInTheOutbox()
    {
        using var world = await StationWorld.CreateAsync();
        var template = world.PathOf("template.json");

        var written = await StationCli.Run("protocol", "template", "--dir", world.StationDir, "--out", template);
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Equal($"TEST ELECTION (rehearsal) {TestElection.Id}", written.OutputLines[0]);
        var form = JsonNode.Parse(File.ReadAllText(template))!;
        Assert.Equal("ST-0001", (string)form["stationCode"]!);
        Assert.Equal(812, (long)form["ballots"]!["registeredVoters"]!);
        var filled = world.WriteFilledForm("filled.json");

        var check = await StationCli.Run("protocol", "check", "--dir", world.StationDir, "--file", filled);
        var sign = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", filled);
        var status = await StationCli.Run("status", "--dir", world.StationDir);

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("it can be signed", check.Output, StringComparison.Ordinal);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Equal($"TEST ELECTION (rehearsal) {TestElection.Id}", sign.OutputLines[0]);
        Assert.Equal("queued; run 'send'", sign.OutputLines[^1]);
        var entry = Assert.Single(StatusOf(world));
        Assert.Equal(OutboxState.Queued, entry.State);
        Assert.Equal(1, entry.Revision);
        Assert.Contains($"envelope sha256 {entry.EnvelopeSha256}", sign.Output, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal($"TEST ELECTION (rehearsal) {TestElection.Id}", status.OutputLines[0]);
        Assert.Matches($@"\n1\s+Queued\s+0\s+{entry.EnvelopeSha256![..12]}\s+-", status.Output);
    }

    [Fact]
    public async Task Template_ExistingFile_RefusedExitThree()
    {
        using var world = await StationWorld.CreateAsync();
        var target = world.PathOf("exists.json");
        File.WriteAllText(target, "mine");

        var result = await StationCli.Run("protocol", "template", "--dir", world.StationDir, "--out", target);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("mine", File.ReadAllText(target));
    }

    [Fact]
    public async Task Template_Revision_WritesThatRevision()
    {
        using var world = await StationWorld.CreateAsync();
        var target = world.PathOf("r2.json");

        await StationCli.Run("protocol", "template", "--dir", world.StationDir, "--revision", "2", "--out", target).Ok();

        Assert.Equal(2, (int)JsonNode.Parse(File.ReadAllText(target))!["revision"]!);
    }

    [Fact]
    public async Task CheckAndSign_RejectProblems_EveryProblemListedExitTwoNothingSigned()
    {
        using var world = await StationWorld.CreateAsync();
        var form = world.WriteFilledForm("bad.json", f =>
        {
            f["electionId"] = "another-election";
            f["definitionSha256"] = new string('0', 64);
            f["contests"]!.AsArray().RemoveAt(1);
        });

        var check = await StationCli.Run("protocol", "check", "--dir", world.StationDir, "--file", form);
        var sign = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", form, "--explain", "no explanation helps");

        foreach (var result in new[] { check, sign })
        {
            Assert.Equal(2, result.ExitCode);
            var problems = result.OutputLines.Where(l => l.StartsWith("must fix:", StringComparison.Ordinal)).ToArray();
            Assert.Equal(3, problems.Length);
            Assert.EndsWith("[ELECTION_MISMATCH]", problems[0], StringComparison.Ordinal);
            Assert.EndsWith("[DEFINITION_MISMATCH]", problems[1], StringComparison.Ordinal);
            Assert.EndsWith("[CONTEST_MISSING]", problems[2], StringComparison.Ordinal);
            Assert.Equal("error: the protocol has 3 problem(s) that must be fixed; it cannot be signed", result.Error.Trim());
        }

        Assert.Empty(StatusOf(world));
    }

    [Fact]
    public async Task Check_FormThatDoesNotParse_ProblemsWithPathsExitTwo()
    {
        using var world = await StationWorld.CreateAsync();
        var form = world.WriteFilledForm("bad.json", f =>
        {
            f["ballots"]!["valid"] = -3;
            f["ballots"]!["used"] = "many";
        });

        var check = await StationCli.Run("protocol", "check", "--dir", world.StationDir, "--file", form);

        Assert.Equal(2, check.ExitCode);
        Assert.Contains(check.OutputLines, l => l.Contains("$.ballots.valid", StringComparison.Ordinal) && l.EndsWith("[COUNT_NEGATIVE]", StringComparison.Ordinal));
        Assert.Contains(check.OutputLines, l => l.Contains("$.ballots.used", StringComparison.Ordinal) && l.EndsWith("[NOT_A_NUMBER]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAndSign_OtherStationsProtocol_StationMismatchExitTwo()
    {
        using var world = await StationWorld.CreateAsync();
        var form = world.WriteFilledForm("other.json", station: StationWorld.OtherStation);

        var sign = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", form);

        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("must fix:      The protocol is for station 'ST-0002', but this is station ST-0001. [STATION_MISMATCH]", sign.OutputLines);
        Assert.Empty(StatusOf(world));
    }

    [Fact]
    public async Task CheckAndSign_BrokenCountingRule_ExitSevenUntilExplained()
    {
        using var world = await StationWorld.CreateAsync();
        var form = world.WriteFilledForm("flag.json", f => f["ballots"]!["spoiled"] = (long)f["ballots"]!["spoiled"]! + 2);

        var check = await StationCli.Run("protocol", "check", "--dir", world.StationDir, "--file", form);
        var unexplained = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", form);

        foreach (var result in new[] { check, unexplained })
        {
            Assert.Equal(7, result.ExitCode);
            var line = Assert.Single(result.OutputLines, l => l.StartsWith("counting rule:", StringComparison.Ordinal));
            Assert.EndsWith("[BALLOTS_NOT_BALANCED]", line, StringComparison.Ordinal);
            Assert.StartsWith("error: the protocol breaks 1 counting rule(s)", result.Error, StringComparison.Ordinal);
            Assert.Contains("--explain", result.Error, StringComparison.Ordinal);
        }

        Assert.Empty(StatusOf(world));

        var explained = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", form, "--explain", "Two spoiled ballots were found in the box after closing.");

        Assert.True(explained.ExitCode == 0, explained.ToString());
        var signed = ReadSigned(world);
        Assert.Equal("Two spoiled ballots were found in the box after closing.", signed.Explanation);
    }

    [Fact]
    public async Task Sign_SameRevisionTwice_SecondRefusedExitThreeOutboxUnchanged()
    {
        using var world = await StationWorld.CreateAsync();
        var form = world.WriteFilledForm("filled.json");
        await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", form).Ok();
        var before = StatusOf(world).Single();
        var envelopeBefore = ReadDelivery(world).Envelope;

        var second = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", form);

        Assert.Equal(3, second.ExitCode);
        Assert.StartsWith("error: revision 1 is already signed", second.Error, StringComparison.Ordinal);
        Assert.EndsWith("[ALREADY_SIGNED]", second.Error.Trim(), StringComparison.Ordinal);
        var after = StatusOf(world).Single();
        Assert.Equal(before, after);
        Assert.Equal(envelopeBefore, ReadDelivery(world).Envelope);
    }

    [Fact]
    public async Task Sign_CorrectionWithoutReason_RefusedThenSignedWithReason()
    {
        using var world = await StationWorld.CreateAsync();
        await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", world.WriteFilledForm("r1.json")).Ok();
        var r2 = world.WriteFilledForm("r2.json", f => f["revision"] = 2);

        var refused = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", r2);
        var signed = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", r2, "--correction-reason", "P02 votes were swapped with P03");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains(refused.OutputLines, l => l.EndsWith("[CORRECTION_REASON_MISSING]", StringComparison.Ordinal));
        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.Equal([1L, 2L], StatusOf(world).Select(e => e.Revision));
    }

    [Fact]
    public async Task Sign_WithAttachments_PayloadCarriesTheirDigestsAndTheEnvelopeVerifies()
    {
        using var world = await StationWorld.CreateAsync();
        var pdf = world.PathOf("form-page1.pdf");
        var png = world.PathOf("form-page2.PNG");
        File.WriteAllBytes(pdf, RandomNumberGenerator.GetBytes(150_000));
        File.WriteAllBytes(png, RandomNumberGenerator.GetBytes(1_000));

        var sign = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", world.WriteFilledForm("filled.json"), "--attach", pdf, "--attach", png);

        Assert.True(sign.ExitCode == 0, sign.ToString());
        var delivery = ReadDelivery(world);
        var envelope = EnvelopeMapping.Parse(delivery.Envelope).Envelope!;
        using var root = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(world.Ca.Certificate.RawData);
        var verification = new EnvelopeVerifier(new ElectionTrust(root), new SignerCertificateCache()).Verify(envelope, PayloadTypes.ResultProtocol, DateTimeOffset.UtcNow);
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal("urn:transmission:station:ST-0001", verification.Signer!.Uri);

        var protocol = V1.ResultProtocol.Parser.ParseFrom(envelope.Payload.Span);
        Assert.Equal(2, protocol.Attachments.Count);
        Assert.Equal(("form-page1.pdf", "application/pdf", 150_000UL), (protocol.Attachments[0].Name, protocol.Attachments[0].MediaType, protocol.Attachments[0].Size));
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(pdf)), protocol.Attachments[0].Sha256.ToByteArray());
        Assert.Equal(("form-page2.PNG", "image/png", 1_000UL), (protocol.Attachments[1].Name, protocol.Attachments[1].MediaType, protocol.Attachments[1].Size));
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(png)), protocol.Attachments[1].Sha256.ToByteArray());
        Assert.Equal(V1.ElectionMode.Test, protocol.Mode);
        Assert.Equal(world.Definition.Sha256.ToArray(), protocol.DefinitionSha256.ToByteArray());
        Assert.InRange(protocol.SignedAt.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);

        Assert.Equal(["form-page1.pdf", "form-page2.PNG"], delivery.Attachments.Select(a => a.Name));
        Assert.Equal(File.ReadAllBytes(pdf), delivery.Attachments[0].Bytes);
        Assert.Equal(SHA256.HashData(delivery.Envelope), Convert.FromHexString(StatusOf(world).Single().EnvelopeSha256!));
    }

    [Fact]
    public async Task Sign_AttachmentOfUnknownType_RefusedExitTwo()
    {
        using var world = await StationWorld.CreateAsync();
        var doc = world.PathOf("form.docx");
        File.WriteAllText(doc, "x");

        var sign = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", world.WriteFilledForm("filled.json"), "--attach", doc);

        Assert.Equal(2, sign.ExitCode);
        Assert.Equal($"error: {doc}: attachments must be .jpg, .jpeg, .png or .pdf files", sign.Error.Trim());
        Assert.Empty(StatusOf(world));
    }

    [Fact]
    public async Task Check_NoElectionInstalled_ExitTwoOneLine()
    {
        using var world = await StationWorld.CreateAsync(installElection: false);

        var check = await StationCli.Run("protocol", "check", "--dir", world.StationDir, "--file", world.PathOf("x.json"));

        Assert.Equal(2, check.ExitCode);
        Assert.Equal($"error: no election is installed in {world.StationDir} (run 'election install --definition <file>')", check.Error.Trim());
    }

    private static StationOutbox OutboxOf(StationWorld world) => StationOutbox.Open(world.StationDir, StationWorld.Station, TimeProvider.System);

    private static IReadOnlyList<OutboxEntry> StatusOf(StationWorld world)
    {
        using var outbox = OutboxOf(world);
        return outbox.Status();
    }

    private static OutboxDelivery ReadDelivery(StationWorld world)
    {
        using var outbox = OutboxOf(world);
        return Assert.Single(outbox.NextDue());
    }

    private static V1.ResultProtocol ReadSigned(StationWorld world) =>
        V1.ResultProtocol.Parser.ParseFrom(EnvelopeMapping.Parse(ReadDelivery(world).Envelope).Envelope!.Payload.Span);
}
