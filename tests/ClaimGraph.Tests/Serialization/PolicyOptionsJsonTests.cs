using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Serialization;

public class PolicyOptionsJsonTests
{
    [Fact]
    public void Read_EveryField_SetsTheOption()
    {
        PolicyOptions o = PolicyOptionsJson.Read("""
            { "maxActiveRuns": 4, "maxActivePerLabel": { "db": 1 }, "backoffBase": 500, "backoffCap": 8000, "jitterFraction": 0.25,
              "maxAttempts": 5, "leaseDuration": null, "reservation": "strict", "bypassBudget": 7 }
            """);

        Assert.Equal([new("db", 1)], o.MaxActivePerLabel);
        Assert.Equal(
            (4, 500L, 8000L, 0.25, 5, (long?)null, ReservationMode.Strict, 7),
            (o.MaxActiveRuns, o.BackoffBase, o.BackoffCap, o.JitterFraction, o.MaxAttempts, o.LeaseDuration, o.Reservation, o.BypassBudget));
    }

    [Fact]
    public void Read_EmptyObject_TheDefaults()
    {
        Assert.Equal(PolicyOptions.Default, PolicyOptionsJson.Read("{}"u8));
    }

    [Theory]
    [InlineData("""{ "maxAttempts": 0 }""", JsonReadErrorCode.InvalidOptions, "$.maxAttempts", 18)]
    [InlineData("""{ "maxActivePerLabel": { "db": 0 } }""", JsonReadErrorCode.InvalidOptions, "$.maxActivePerLabel.db", 32)]
    [InlineData("""{ "backoffCap": 5 }""", JsonReadErrorCode.InvalidOptions, "$.backoffCap", 17)]
    [InlineData("""{ "maxActiveRuns": 2.5 }""", JsonReadErrorCode.UnexpectedValue, "$.maxActiveRuns", 20)]
    [InlineData("""{ "retries": 2 }""", JsonReadErrorCode.UnknownField, "$.retries", 3)]
    [InlineData("""{ "maxAttempts": 1, "maxAttempts": 2 }""", JsonReadErrorCode.DuplicateField, "$.maxAttempts", 21)]
    [InlineData("""{ "jitterFraction": "lots" }""", JsonReadErrorCode.UnexpectedValue, "$.jitterFraction", 21)]
    [InlineData("""[]""", JsonReadErrorCode.UnexpectedValue, "$", 1)]
    public void Read_BadOptions_TypedErrorAtTheField(string json, JsonReadErrorCode code, string path, int column)
    {
        JsonReadError error = Assert.Throws<JsonReadException>(() => PolicyOptionsJson.Read(json)).Error;

        Assert.Equal((code, path, 1, column), (error.Code, error.JsonPath, error.Line, error.Column));
    }
}
