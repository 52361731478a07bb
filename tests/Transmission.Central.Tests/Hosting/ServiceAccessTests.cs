using Transmission.Contracts.V1;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Hosting;

/// <summary>
/// Each service admits only its role: stations on Transmission, verifiers on Review, auditors on
/// Audit. The wrong role gets PERMISSION_DENIED naming the method and the caller; the right role
/// reaches the service (UNIMPLEMENTED where the method is not built yet).
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
    public async Task ListSubmissions_VerifierCertificate_ReachesTheServiceWhichIsNotBuiltYet()
    {
        using var channel = central.ChannelFor(central.Pki.VerifierDir);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.AsyncUnaryCall(ReviewMethods.ListSubmissions, new ListSubmissionsRequest()).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
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

    [Fact]
    public async Task GetCheckpoint_AuditorCertificate_ReachesTheServiceWhichIsNotBuiltYet()
    {
        using var channel = central.ChannelFor(central.Pki.AuditorDir);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.AsyncUnaryCall(AuditMethods.GetCheckpoint, new GetCheckpointRequest()).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }
}
