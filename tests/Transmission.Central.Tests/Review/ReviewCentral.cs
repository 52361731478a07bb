using System.Security.Cryptography;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Transmission.Grpc;
using Transmission.Testing;
using Domain = Transmission.Core.Protocol;

namespace Transmission.Central.Tests.Review;

/// <summary>
/// A real Central over a development PKI with six stations, for review tests. Tests of one class share it, so each
/// test uses its own station (or a fresh, higher revision) and never depends on another test's data.
/// </summary>
public sealed class ReviewCentral : IAsyncLifetime
{
    public RunningCentral Central { get; } = new(new DevelopmentPki(6));

    public DevelopmentPki Pki => Central.Pki;

    internal StationSubmitter Submitter => new(Central);

    public Task InitializeAsync() => Central.InitializeAsync();

    public Task DisposeAsync() => Central.DisposeAsync();

    /// <summary>A channel with the verifier's certificate.</summary>
    public GrpcChannel Verifier() => Central.ChannelFor(Pki.VerifierDir);

    /// <summary>Signs and submits <paramref name="protocol"/> as its station; asserts a receipt came back.</summary>
    internal async Task<SignedProtocol> SubmitAsync(Domain.ResultProtocol protocol, IReadOnlyList<byte[]>? attachments = null)
    {
        var submitter = Submitter;
        var signed = submitter.Sign(protocol, attachments);
        var result = await submitter.SubmitAsync(signed);
        Assert.Null(result.Error);
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, result.Single().OutcomeCase);
        return signed;
    }

    /// <summary>A clean protocol of <paramref name="station"/> at a revision no other test used.</summary>
    internal Domain.ResultProtocol FreshProtocol(string station, long seed = 7) => Submitter.Protocol(station, StationSubmitter.NextRevision(), seed);

    /// <summary>The municipality of <paramref name="station"/> in the registry.</summary>
    public string MunicipalityOf(string station) => Pki.Election.Stations.Single(s => s.Code == station).MunicipalityCode;

    public static async Task<T> Call<TRequest, T>(GrpcChannel channel, Method<TRequest, T> method, TRequest request)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>
        where T : class, Google.Protobuf.IMessage<T> => await channel.AsyncUnaryCall(method, request).ResponseAsync.DefaultTimeout();

    public static Google.Protobuf.ByteString Sha(byte[] bytes) => Google.Protobuf.ByteString.CopyFrom(bytes);

    public static byte[] LeafHash(byte[] entry)
    {
        var data = new byte[entry.Length + 1];
        entry.CopyTo(data, 1);
        return SHA256.HashData(data);
    }
}
