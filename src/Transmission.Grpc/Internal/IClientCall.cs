namespace Transmission.Grpc.Internal;

/// <summary>What every public call object exposes, whatever its message types.</summary>
internal interface IClientCall : IDisposable
{
    public Task<Metadata> ResponseHeadersAsync { get; }

    public Status GetStatus();

    public Metadata GetTrailers();
}
