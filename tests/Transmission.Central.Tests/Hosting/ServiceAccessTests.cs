using Transmission.Contracts.V1;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Hosting;

/// <summary>
/// Each service admits only its role: stations on Transmission, verifiers on Review, auditors on
/// Audit. The wrong role gets PERMISSION_DENIED naming the method and the caller.
/// </summary>
public sealed class ServiceAccessTests(RunningCentral central) : IClassFixture<RunningCentral>
{
    [Fact]
    public async Task Handshake_StationCertificate_ReturnsTheStationIdentity()
    {
        using var channel = central.ChannelFor(central.Pki.StationDir("ST-0001"));

        var reply = await channel.AsyncUnaryCall(TransmissionMethods.Handshake, new HandshakeRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal("urn:transmission:station:ST-0001", reply.CallerUri);
        Assert.False(string.IsNullOrEmpty(reply.ServerVersion));
        Assert.InRange(reply.ServerTime.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Handshake_TwoStations_EachSeenAsItself()
    {
        using var first = central.ChannelFor(central.Pki.StationDir("ST-0001"));
        using var second = central.ChannelFor(central.Pki.StationDir("ST-0002"));

        var a = await first.AsyncUnaryCall(TransmissionMethods.Handshake, new HandshakeRequest()).ResponseAsync.DefaultTimeout();
        var b = await second.AsyncUnaryCall(TransmissionMethods.Handshake, new HandshakeRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal("urn:transmission:station:ST-0001", a.CallerUri);
        Assert.Equal("urn:transmission:station:ST-0002", b.CallerUri);
    }

    [Theory]
    [InlineData("verifier", "urn:transmission:verifier:verifier-1")]
    [InlineData("auditor", "urn:transmission:auditor:auditor-1")]
    public async Task Handshake_NonStationCertificate_PermissionDenied(string who, string uri)
    {
        using var channel = central.ChannelFor(who == "verifier" ? central.Pki.VerifierDir : central.Pki.AuditorDir);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.AsyncUnaryCall(TransmissionMethods.Handshake, new HandshakeRequest()).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal($"/transmission.v1.Transmission/Handshake is for station certificates; the caller is {uri}.", ex.Status.Detail);
    }

    [Fact]
    public async Task Submit_VerifierCertificate_PermissionDenied()
    {
        using var channel = central.ChannelFor(central.Pki.VerifierDir);
        using var call = channel.AsyncDuplexStreamingCall(TransmissionMethods.Submit);

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("/transmission.v1.Transmission/Submit is for station certificates; the caller is urn:transmission:verifier:verifier-1.", ex.Status.Detail);
    }

    [Fact]
    public async Task ListSubmissions_StationCertificate_PermissionDenied()
    {
        using var channel = central.ChannelFor(central.Pki.StationDir("ST-0001"));

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.AsyncUnaryCall(ReviewMethods.ListSubmissions, new ListSubmissionsRequest()).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("/transmission.v1.Review/ListSubmissions is for verifier certificates; the caller is urn:transmission:station:ST-0001.", ex.Status.Detail);
    }

    [Fact]
    public async Task ListSubmissions_VerifierCertificate_Answers()
    {
        using var channel = central.ChannelFor(central.Pki.VerifierDir);

        var page = await channel.AsyncUnaryCall(ReviewMethods.ListSubmissions, new ListSubmissionsRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal(2u, page.TotalMatching);
    }

    public static TheoryData<string, string> ReviewMethodsAndOtherRoles()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in new[] { "ListSubmissions", "GetSubmission", "GetAttachment", "Decide", "GetTotals", "WatchTotals", "Export" })
        {
            data.Add(method, "station");
            data.Add(method, "auditor");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReviewMethodsAndOtherRoles))]
    public async Task ReviewMethod_StationOrAuditorCertificate_PermissionDenied(string method, string who)
    {
        using var channel = central.ChannelFor(who == "station" ? central.Pki.StationDir("ST-0001") : central.Pki.AuditorDir);
        var uri = who == "station" ? "urn:transmission:station:ST-0001" : "urn:transmission:auditor:auditor-1";

        var ex = await Assert.ThrowsAsync<RpcException>(() => method switch
        {
            "ListSubmissions" => channel.AsyncUnaryCall(ReviewMethods.ListSubmissions, new ListSubmissionsRequest()).ResponseAsync,
            "GetSubmission" => channel.AsyncUnaryCall(ReviewMethods.GetSubmission, new GetSubmissionRequest { StationCode = "ST-0001" }).ResponseAsync,
            "GetAttachment" => channel.AsyncUnaryCall(ReviewMethods.GetAttachment, new GetAttachmentRequest()).ResponseAsync,
            "Decide" => channel.AsyncUnaryCall(ReviewMethods.Decide, new DecideRequest { Decision = Decision.Accept, Reason = "x" }).ResponseAsync,
            "GetTotals" => channel.AsyncUnaryCall(ReviewMethods.GetTotals, new GetTotalsRequest()).ResponseAsync,
            "WatchTotals" => ReadFirst(channel.AsyncServerStreamingCall(ReviewMethods.WatchTotals, new GetTotalsRequest())),
            "Export" => ReadFirst(channel.AsyncServerStreamingCall(ReviewMethods.Export, new ExportRequest { Kind = ExportKind.Stations, Format = ExportFormat.Csv })),
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        }).DefaultTimeout();

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal($"/transmission.v1.Review/{method} is for verifier certificates; the caller is {uri}.", ex.Status.Detail);
    }

    private static async Task<object> ReadFirst<T>(AsyncServerStreamingCall<T> call)
        where T : class
    {
        using (call)
        {
            await call.ResponseStream.MoveNext(CancellationToken.None);
            return call.ResponseStream.Current;
        }
    }

    [Theory]
    [InlineData("station")]
    [InlineData("verifier")]
    public async Task GetCheckpoint_NonAuditorCertificate_PermissionDenied(string who)
    {
        using var channel = central.ChannelFor(who == "station" ? central.Pki.StationDir("ST-0002") : central.Pki.VerifierDir);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.AsyncUnaryCall(AuditMethods.GetCheckpoint, new GetCheckpointRequest()).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("/transmission.v1.Audit/GetCheckpoint is for auditor certificates;", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GetInclusionProof", "station")]
    [InlineData("GetInclusionProof", "verifier")]
    [InlineData("GetConsistencyProof", "station")]
    [InlineData("GetConsistencyProof", "verifier")]
    [InlineData("ListSecurityEvents", "station")]
    [InlineData("ListSecurityEvents", "verifier")]
    public async Task AuditMethod_NonAuditorCertificate_PermissionDenied(string method, string who)
    {
        using var channel = central.ChannelFor(who == "station" ? central.Pki.StationDir("ST-0002") : central.Pki.VerifierDir);

        var ex = await Assert.ThrowsAsync<RpcException>(() => (method switch
        {
            "GetInclusionProof" => channel.AsyncUnaryCall(AuditMethods.GetInclusionProof, new GetInclusionProofRequest { Index = 0 }).ResponseAsync,
            "GetConsistencyProof" => channel.AsyncUnaryCall(AuditMethods.GetConsistencyProof, new GetConsistencyProofRequest()).ResponseAsync,
            "ListSecurityEvents" => (Task)channel.AsyncUnaryCall(AuditMethods.ListSecurityEvents, new ListSecurityEventsRequest()).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        }).DefaultTimeout());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith($"/transmission.v1.Audit/{method} is for auditor certificates;", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verifier")]
    [InlineData("auditor")]
    public async Task GetLogConsistency_NonStationCertificate_PermissionDenied(string who)
    {
        using var channel = central.ChannelFor(who == "verifier" ? central.Pki.VerifierDir : central.Pki.AuditorDir);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.AsyncUnaryCall(TransmissionMethods.GetLogConsistency, new GetLogConsistencyRequest { FromSize = 1 }).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }
}
