using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Transmission.Central.Dashboard;

/// <summary>
/// Data protection's key ring held in this process only: the keys behind antiforgery tokens are never written to
/// disk (by default ASP.NET Core would write them unencrypted to the service account's home) and die with Central.
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly Lock _lock = new();
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_lock)
        {
            return [.. _elements.Select(element => new XElement(element))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        lock (_lock)
        {
            _elements.Add(new XElement(element));
        }
    }
}
