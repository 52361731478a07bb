using Transmission.Cli;
using Transmission.Grpc;
using Transmission.Cli.Connection;

namespace Transmission.Verifier.Tests.Connection;

public sealed class CallFailuresTests
{
    private static readonly ConnectionSettings Settings = new(new Uri("https://central.example:7443"), "/v", "/v/ca.cert.pem", TimeSpan.FromSeconds(2.5), Verbose: false);

    [Theory]
    [InlineData(StatusCode.Unavailable, ExitCodes.Unreachable)]
    [InlineData(StatusCode.DeadlineExceeded, ExitCodes.Unreachable)]
    [InlineData(StatusCode.Cancelled, ExitCodes.Unreachable)]
    [InlineData(StatusCode.PermissionDenied, ExitCodes.Refused)]
    [InlineData(StatusCode.Unauthenticated, ExitCodes.Refused)]
    [InlineData(StatusCode.FailedPrecondition, ExitCodes.Refused)]
    [InlineData(StatusCode.InvalidArgument, ExitCodes.Refused)]
    [InlineData(StatusCode.NotFound, ExitCodes.Refused)]
    [InlineData(StatusCode.Unimplemented, ExitCodes.Refused)]
    [InlineData(StatusCode.Internal, ExitCodes.Internal)]
    [InlineData(StatusCode.Unknown, ExitCodes.Internal)]
    public void For_StatusCode_ExitCode(StatusCode code, int exitCode) =>
        Assert.Equal(exitCode, CallFailures.For(new RpcException(new Status(code, "detail")), "/transmission.v1.Review/Decide", Settings).ExitCode);

    [Fact]
    public void For_PermissionDenied_KeepsCentralsWords()
    {
        var failure = CallFailures.For(
            new RpcException(new Status(StatusCode.PermissionDenied, "/transmission.v1.Review/ListSubmissions is for verifier certificates; the caller is urn:transmission:station:ST-0001.")),
            "/transmission.v1.Review/ListSubmissions",
            Settings);

        Assert.Equal(
            "Central refused this identity (PERMISSION_DENIED): /transmission.v1.Review/ListSubmissions is for verifier certificates; the caller is urn:transmission:station:ST-0001.",
            failure.Message);
    }

    [Fact]
    public void For_Refusal_OneLineWithTheCode()
    {
        var failure = CallFailures.For(new RpcException(new Status(StatusCode.FailedPrecondition, "ALREADY_DECIDED: decided\non 2025-12-28")), "/transmission.v1.Review/Decide", Settings);

        Assert.Equal("refused by Central (FAILED_PRECONDITION): ALREADY_DECIDED: decided on 2025-12-28", failure.Message);
    }

    [Fact]
    public void For_TlsHandshakeFailed_RefusedNamingTheRoot()
    {
        var failure = CallFailures.For(new RpcException(new Status(StatusCode.Unavailable, "TLS handshake with the server failed: rejected.")), "/transmission.v1.Review/GetTotals", Settings);

        Assert.Equal(ExitCodes.Refused, failure.ExitCode);
        Assert.Equal(
            "no TLS connection to Central at https://central.example:7443/: its certificate does not chain to the election root /v/ca.cert.pem, or it does not accept this verifier certificate (TLS handshake with the server failed: rejected.)",
            failure.Message);
    }

    [Fact]
    public void For_DeadlineExceeded_SaysTheTimeout()
    {
        var failure = CallFailures.For(new RpcException(new Status(StatusCode.DeadlineExceeded, string.Empty)), "/transmission.v1.Review/GetTotals", Settings);

        Assert.Equal("Central at https://central.example:7443/ did not answer within 2.5 s (--timeout)", failure.Message);
    }

    [Fact]
    public void For_Unimplemented_NamesTheMethod()
    {
        var failure = CallFailures.For(new RpcException(new Status(StatusCode.Unimplemented, string.Empty)), "/transmission.v1.Review/Export", Settings);

        Assert.Equal("Central at https://central.example:7443/ does not serve /transmission.v1.Review/Export yet (UNIMPLEMENTED)", failure.Message);
    }
}
