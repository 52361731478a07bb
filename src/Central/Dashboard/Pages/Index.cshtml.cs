using Microsoft.AspNetCore.Mvc.RazorPages;
using Transmission.Central.Submission;
using Transmission.Core.Election;

namespace Transmission.Central.Dashboard.Pages;

/// <summary>The dashboard's home page: which election this Central serves. The working pages come with the review read model.</summary>
public sealed class IndexModel : PageModel
{
    /// <summary>For the page.</summary>
    public IndexModel(CentralElection election)
    {
        ArgumentNullException.ThrowIfNull(election);
        Election = election.Definition;
    }

    /// <summary>The election Central serves.</summary>
    public ElectionDefinition Election { get; }

    /// <summary>GET: nothing to load beyond the election.</summary>
    public void OnGet()
    {
    }
}
