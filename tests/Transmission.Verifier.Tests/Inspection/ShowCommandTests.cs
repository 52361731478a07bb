using System.Security.Cryptography;
using Google.Protobuf;
using Transmission.Contracts.V1;
using Transmission.Verifier.Tests.Support;

namespace Transmission.Verifier.Tests.Inspection;

/// <summary>show against a fake Review service: what the CLI checks itself, whatever Central sends.</summary>
public sealed class ShowCommandTests : IAsyncLifetime
{
    private static readonly byte[] Scan = [0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5];
    private FakeReviewWorld _world = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _world = await FakeReviewWorld.StartAsync();
        _folder = Directory.CreateTempSubdirectory("transmission-verifier-scans-").FullName;
    }

    [Fact]
    public async Task Show_SignedSubmission_NumbersFlagsRevisionsAndCheckedHere()
    {
        var detail = _world.SignedDetail(Scan);
        _world.Review.Detail = _ => detail;

        var result = await _world.Run("show", "ST-0001");

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.IsType<GetSubmissionRequest>(Assert.Single(_world.Review.Requests));
        Assert.Equal("ST-0001", request.StationCode);
        Assert.True(request.EnvelopeSha256.IsEmpty);
        Assert.Contains("TEST ELECTION (rehearsal)", result.Output, StringComparison.Ordinal);
        Assert.Contains($"envelope sha256 {Convert.ToHexStringLower(detail.Summary.EnvelopeSha256.Span)}", result.Output, StringComparison.Ordinal);
        Assert.Contains("checked here: the envelope hashes to that digest, the chair's signature (urn:transmission:station:ST-0001) verifies against the election root", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"\|\s*812\s*\|\s*800\s*\|\s*500\s*\|\s*290\s*\|\s*10\s*\|\s*20\s*\|\s*480\s*\|", result.Output);
        Assert.Matches(@"\|\s*P01\s*\|\s*300\s*\|", result.Output);
        Assert.Matches(@"\|\s*TURNOUT_OUTLIER\s*\|\s*-\s*\|\s*-\s*\|\s*Turnout 61.6% is far above the municipality's 40%.\s*\|", result.Output);
        Assert.Matches(@"\|\s*0\s*\|\s*scan-0.png\s*\|\s*image/png\s*\|\s*9\s*\|\s*" + Convert.ToHexStringLower(SHA256.HashData(Scan)), result.Output);
        Assert.Contains("  r1 not decided yet", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Output);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Show_BySha_AsksForExactlyThatEnvelope()
    {
        var detail = _world.SignedDetail();
        _world.Review.Detail = _ => detail;
        var sha = Convert.ToHexString(detail.Summary.EnvelopeSha256.Span);

        var result = await _world.Run("show", sha);

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.IsType<GetSubmissionRequest>(Assert.Single(_world.Review.Requests));
        Assert.Equal(detail.Summary.EnvelopeSha256, request.EnvelopeSha256);
        Assert.Equal(string.Empty, request.StationCode);
    }

    [Fact]
    public async Task Show_CentralSendsAnotherEnvelopeThanAskedFor_ExitsTwoSecurityLine()
    {
        var detail = _world.SignedDetail();
        _world.Review.Detail = _ => detail;
        var asked = new string('b', 64);

        var result = await _world.Run("show", asked);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [$"error: SECURITY: the envelope Central sent hashes to {Convert.ToHexStringLower(detail.Summary.EnvelopeSha256.Span)}, not {asked}; do not decide on this submission, tell the election office"],
            result.ErrorLines);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Show_DecodedNumbersDifferFromSignedPayload_ExitsTwoSecurityLine()
    {
        var detail = _world.SignedDetail();
        detail.Protocol.Contests[0].Choices[0].Votes = 301;
        _world.Review.Detail = _ => detail;

        var result = await _world.Run("show", "ST-0001");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: SECURITY: the numbers Central decoded differ from the signed payload; do not decide on this submission, tell the election office"], result.ErrorLines);
        // Numbers that are not the signed ones are not shown at all.
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Show_SaveAttachments_MatchingScanWrittenExactly()
    {
        var detail = _world.SignedDetail(Scan);
        _world.Review.Detail = _ => detail;
        _world.Review.Attachment = r => new AttachmentContent { Name = "scan-0.png", MediaType = "image/png", Sha256 = detail.Attachments[(int)r.Index].Sha256, Content = ByteString.CopyFrom(Scan) };

        var result = await _world.Run("show", "ST-0001", "--save-attachments", _folder);

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(_world.Review.Requests.OfType<GetAttachmentRequest>());
        Assert.Equal(detail.Summary.EnvelopeSha256, request.EnvelopeSha256);
        Assert.Equal(Scan, File.ReadAllBytes(Path.Combine(_folder, "0-scan-0.png")));
        Assert.Contains($"saved {Path.Combine(_folder, "0-scan-0.png")} (image/png, 9 bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(Scan))} = the signed digest)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_SaveAttachments_ScanNotMatchingSignedDigest_ExitsTwoClearLineNotWritten()
    {
        var detail = _world.SignedDetail(Scan, Scan);
        byte[] altered = [.. Scan[..^1], 0xff];
        _world.Review.Detail = _ => detail;
        // Central claims the signed digest but sends other bytes for the second scan.
        _world.Review.Attachment = r => new AttachmentContent { Name = $"scan-{r.Index}.png", MediaType = "image/png", Sha256 = detail.Attachments[(int)r.Index].Sha256, Content = ByteString.CopyFrom(r.Index == 1 ? altered : Scan) };

        var result = await _world.Run("show", "ST-0001", "--save-attachments", _folder);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [$"error: attachment 1 (scan-1.png): the bytes Central sent hash to {Convert.ToHexStringLower(SHA256.HashData(altered))}, but the station signed {Convert.ToHexStringLower(SHA256.HashData(Scan))}; not saved"],
            result.ErrorLines);
        Assert.Equal(["0-scan-0.png"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Show_SaveAttachments_FileExists_ExitsThreeKeepsIt()
    {
        var detail = _world.SignedDetail(Scan);
        _world.Review.Detail = _ => detail;
        _world.Review.Attachment = _ => new AttachmentContent { Content = ByteString.CopyFrom(Scan) };
        File.WriteAllText(Path.Combine(_folder, "0-scan-0.png"), "mine");

        var result = await _world.Run("show", "ST-0001", "--save-attachments", _folder);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_folder, "0-scan-0.png")));
    }

    [Fact]
    public async Task Show_UnknownStation_ExitsFourWithCentralsWords()
    {
        var result = await _world.Run("show", "ST-9999");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal(["error: refused by Central (NOT_FOUND): no such submission"], result.ErrorLines);
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
