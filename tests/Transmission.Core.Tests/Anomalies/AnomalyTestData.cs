using System.Globalization;
using System.Text.Json.Nodes;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Tests.Election;
using Transmission.Core.Tests.Tabulation;

namespace Transmission.Core.Tests.Anomalies;

internal static class AnomalyTestData
{
    /// <summary>
    /// The <see cref="TestDefinitions"/> election (contests "parties": P01 Civic Alliance, P02 Lista e Gjelbër, P03 Ura;
    /// "candidates": preference) with its stations replaced by one station per entry of <paramref name="registered"/>,
    /// all in municipality 01, coded <c>01-0100-01</c>, <c>01-0100-02</c>, ...
    /// </summary>
    public static ElectionDefinition Municipality(params long[] registered)
    {
        var bytes = TestDefinitions.With(root =>
        {
            var stations = new JsonArray();
            for (var i = 0; i < registered.Length; i++)
            {
                stations.Add(new JsonObject
                {
                    ["code"] = Code(i),
                    ["pollingCentre"] = "Shkolla \"Naim Frashëri\"",
                    ["municipality"] = "01",
                    ["registeredVoters"] = registered[i],
                });
            }

            root["stations"] = stations;
        });
        var result = ElectionDefinition.Parse(bytes);
        Assert.True(result.IsSuccess, result.ToString());
        return result.Definition;
    }

    /// <summary>The code of the <paramref name="index"/>-th (0-based) station of <see cref="Municipality"/>.</summary>
    public static string Code(int index) => "01-0100-" + (index + 1).ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>
    /// The latest protocols of every station of <paramref name="definition"/>, one row per station in order, made by
    /// <see cref="TabulationTestData.Protocol"/> (which also gives candidate P01-C01 the votes of P01).
    /// </summary>
    public static List<(StationEntry Station, ResultProtocol Protocol)> Latest(ElectionDefinition definition, params (long Used, long P01, long P02)[] rows)
    {
        Assert.Equal(definition.Stations.Count, rows.Length);
        return definition.Stations
            .Select((station, i) => (station, TabulationTestData.Protocol(definition, station.Code, 1, rows[i].Used, rows[i].P01, rows[i].P02)))
            .ToList();
    }

    /// <summary><paramref name="count"/> stations with the same number of registered voters.</summary>
    public static long[] Registered(int count, long voters) => Enumerable.Repeat(voters, count).ToArray();
}
