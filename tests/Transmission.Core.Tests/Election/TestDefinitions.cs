using System.Text;
using System.Text.Json.Nodes;
using Transmission.Core.Election;

namespace Transmission.Core.Tests.Election;

/// <summary>A small hand-written definition (2 municipalities, 3 stations, a party and a preference contest).</summary>
internal static class TestDefinitions
{
    public const string Json = """
        {
          "electionId": "ks-test-1",
          "name": { "sq": "Zgjedhjet provë", "sr-Latn": "Probni izbori", "en": "Rehearsal election" },
          "mode": "test",
          "nightWindow": { "opensAt": "2025-12-28T19:00:00+01:00", "closesAt": "2025-12-29T07:00:00+01:00" },
          "usedAllowance": 5,
          "contests": [
            { "id": "parties", "name": "Parties", "kind": "single-choice",
              "choices": [
                { "id": "P01", "name": { "sq": "Aleanca Qytetare", "en": "Civic Alliance" } },
                { "id": "P02", "name": "Lista e Gjelbër" },
                { "id": "P03", "name": "Ura" } ] },
            { "id": "candidates", "name": "Candidates", "kind": "preference", "maxPreferences": 2,
              "choices": [
                { "id": "P01-C01", "name": "Arben Berisha", "party": "P01" },
                { "id": "P01-C02", "name": "Drita Gashi", "party": "P01" },
                { "id": "P02-C01", "name": "Jelena Petrović", "party": "P02" },
                { "id": "P03-C01", "name": "Valon Shala", "party": "P03" } ] }
          ],
          "municipalities": [
            { "code": "01", "name": { "sq": "Prishtinë", "sr-Latn": "Priština" } },
            { "code": "02", "name": "Prizren" }
          ],
          "stations": [
            { "code": "01-0001-01", "pollingCentre": "Shkolla \"Naim Frashëri\"", "municipality": "01", "registeredVoters": 812 },
            { "code": "01-0001-02", "pollingCentre": "Shkolla \"Naim Frashëri\"", "municipality": "01", "registeredVoters": 640 },
            { "code": "02-0001-01", "pollingCentre": { "sq": "Shkolla \"Migjeni\"", "en": "Migjeni school" }, "municipality": "02", "registeredVoters": 0 }
          ]
        }
        """;

    public static byte[] Bytes => Encoding.UTF8.GetBytes(Json);

    public static ElectionDefinition Definition
    {
        get
        {
            var result = ElectionDefinition.Parse(Bytes);
            Assert.True(result.IsSuccess, result.ToString());
            return result.Definition;
        }
    }

    /// <summary>The test definition with a change applied (through a JSON tree).</summary>
    public static byte[] With(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Json)!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
