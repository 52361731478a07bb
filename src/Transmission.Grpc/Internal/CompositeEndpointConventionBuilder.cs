using Microsoft.AspNetCore.Builder;

namespace Transmission.Grpc.Internal;

/// <summary>Applies conventions (authorization policies, metadata) to every endpoint of a mapped service.</summary>
internal sealed class CompositeEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly IReadOnlyList<IEndpointConventionBuilder> _builders;

    public CompositeEndpointConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders)
    {
        _builders = builders;
    }

    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var builder in _builders)
        {
            builder.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var builder in _builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
