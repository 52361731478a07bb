using Transmission.Audit.Tests.Fixtures;

namespace Transmission.Audit.Tests.Bundle;

/// <summary>A small fixture election (12 stations), built once per test class, not written anywhere.</summary>
public sealed class ElectionFixture
{
    internal AuditFixture Election { get; } = AuditFixture.Build(new FixtureOptions { Stations = 12 });
}
