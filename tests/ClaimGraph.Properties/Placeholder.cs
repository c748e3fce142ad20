namespace ClaimGraph.Properties; internal static class Placeholder { }
