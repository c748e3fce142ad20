using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

/// <summary>The bit-set operations of the automaton kernel, on one word and across word boundaries.</summary>
public class SequenceAutomatonTests
{
    [Fact]
    public void Close_LiveStar_AddsThePositionAfterIt()
    {
        Assert.Equal(0b0110UL, SequenceAutomaton.Close(0b0010, stars: 0b0010));
        Assert.Equal(0b0001UL, SequenceAutomaton.Close(0b0001, stars: 0b0010));
    }

    [Fact]
    public void Step_StarsStayAdvancedMoveAcceptingDrop()
    {
        // Positions: 0 plain, 1 star, 2 plain, 3 accepting. Live: 0, 1, 2 (closure of the star), 3.
        ulong next = SequenceAutomaton.Step(state: 0b1111, advanced: 0b0100, stars: 0b0010);

        Assert.Equal(0b1110UL, next); // the star stays (and closes to 2), 2 moved to 3, 0 did not match, 3 dropped
    }

    [Fact]
    public void Close_StarAtTheEndOfAWord_CarriesIntoTheNextWord()
    {
        ulong[] stars = new ulong[2];
        SequenceAutomaton.Add(stars, 63);
        ulong[] state = new ulong[2];
        SequenceAutomaton.Add(state, 63);

        SequenceAutomaton.Close(state, stars);

        Assert.Equal([1UL << 63, 1UL], state);
    }

    [Fact]
    public void Step_AdvancedAtTheEndOfAWord_MovesIntoTheNextWord()
    {
        ulong[] stars = new ulong[2];
        SequenceAutomaton.Add(stars, 65);
        ulong[] state = new ulong[2];
        SequenceAutomaton.Add(state, 63);
        ulong[] advanced = new ulong[2];
        SequenceAutomaton.Add(advanced, 63);
        ulong[] next = new ulong[2];

        SequenceAutomaton.Step(state, advanced, stars, next);

        Assert.Equal([0UL, 0b1UL], next); // 63 moved to 64; 65 is a star but was not live
    }
}
