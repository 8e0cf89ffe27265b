using Tessera.Core.Cache;

namespace Tessera.Tests.Cache;

/// <summary>The limiter's two priorities, driven directly: live before background, background within its share,
/// promotion of a queued background wait, no 429 for background work, and cancellation that returns only what was
/// held. Grants happen synchronously on release, so these assert states, not timings.</summary>
public sealed class GenerationLimiterPriorityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static Task<IDisposable> Background(GenerationLimiter limiter, CancellationToken ct = default) =>
        limiter.AcquireAsync(0, new FlightPriority(WorkPriority.Background), ct);

    [Fact]
    public async Task Live_IsGrantedAsSoonAsASlotFrees_AheadOfEveryQueuedBackgroundWaiter()
    {
        using var limiter = new GenerationLimiter(2, 16);
        var live0 = await limiter.AcquireAsync(CancellationToken.None);
        var background0 = await Background(limiter);
        var waiting = Enumerable.Range(0, 6).Select(_ => Background(limiter)).ToList(); // more background acquirers than slots
        Assert.Equal((2, 1, 6), (limiter.Running, limiter.RunningBackground, limiter.QueuedBackground));

        var live = limiter.AcquireAsync(CancellationToken.None);
        Assert.False(live.IsCompleted); // both slots held
        Assert.Equal(1, limiter.QueuedLive);

        background0.Dispose();
        var live1 = await live.WaitAsync(Deadline);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        Assert.Equal((2, 0, 6), (limiter.Running, limiter.RunningBackground, limiter.QueuedBackground));

        // Live work done: background work gets its share (one slot of two) and no more, so one stays free.
        live0.Dispose();
        live1.Dispose();
        Assert.Equal((1, 1, 5), (limiter.Running, limiter.RunningBackground, limiter.QueuedBackground)); // grants happen on release
        using var granted = await await Task.WhenAny(waiting).WaitAsync(Deadline);
        using var free = await limiter.AcquireAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.Equal(2, limiter.Running);
    }

    [Fact]
    public async Task BackgroundHolders_NeverExceedTheShare_AndALiveAcquireFindsTheSlotItLeaves()
    {
        using var limiter = new GenerationLimiter(4, 16);
        Assert.Equal(3, limiter.BackgroundShare); // default: every slot but one
        var most = 0;
        var go = new TaskCompletionSource();
        var workers = Enumerable.Range(0, 24).Select(async i =>
        {
            using var slot = await Background(limiter);
            InterlockedMax(ref most, limiter.RunningBackground);
            await go.Task;
            await Task.Delay(i % 3); // overlap the holds
        }).ToList();

        Assert.Equal((3, 21), (limiter.RunningBackground, limiter.QueuedBackground)); // the first three went at once
        using (var live = await limiter.AcquireAsync(CancellationToken.None).WaitAsync(Deadline))
        {
            Assert.Equal(4, limiter.Running); // the slot the share leaves free
        }

        go.SetResult();

        await Task.WhenAll(workers).WaitAsync(Deadline);
        Assert.Equal(3, most); // reached, never passed
        Assert.Equal((0, 0), (limiter.Running, limiter.RunningBackground));
    }

    [Theory]
    [InlineData(4, null, 3)]
    [InlineData(2, null, 1)]
    [InlineData(1, null, 1)]
    [InlineData(4, 4, 4)]
    [InlineData(4, 2, 2)]
    [InlineData(2, 9, 2)]
    public void TheShare_IsConfiguredOrEverySlotButOne_AndNeverMoreThanTheSlots(int slots, int? configured, int expected)
    {
        using var limiter = new GenerationLimiter(slots, 16, backgroundShare: configured);
        Assert.Equal(expected, limiter.BackgroundShare);
    }

    [Fact]
    public async Task WithOneSlot_TheShareIsOne_AndALiveAcquireStillGoesBeforeQueuedBackgroundWork()
    {
        using var limiter = new GenerationLimiter(1, 16);
        Assert.Equal(1, limiter.BackgroundShare);
        var background0 = await Background(limiter);
        var waiting = Enumerable.Range(0, 3).Select(_ => Background(limiter)).ToList();
        var live = limiter.AcquireAsync(CancellationToken.None);

        background0.Dispose();

        using (await live.WaitAsync(Deadline))
        {
            Assert.Equal((1, 0, 3), (limiter.Running, limiter.RunningBackground, limiter.QueuedBackground));
        }

        Assert.Equal((1, 1, 2), (limiter.Running, limiter.RunningBackground, limiter.QueuedBackground)); // then background work, one at a time
        using var next = await await Task.WhenAny(waiting).WaitAsync(Deadline);
    }

    [Fact]
    public async Task APromotedBackgroundWait_TakesTheFreeSlotAtOnce()
    {
        using var limiter = new GenerationLimiter(2, 16);
        using var held = await Background(limiter); // the share (1) is full; one slot is free for live work
        var priority = new FlightPriority(WorkPriority.Background);
        var wait = limiter.AcquireAsync(0, priority, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        priority.Promote();

        using var slot = await wait.WaitAsync(Deadline);
        Assert.Equal((2, 1, 0), (limiter.Running, limiter.RunningBackground, limiter.Queued));
    }

    [Fact]
    public async Task APromotedBackgroundWait_GoesAheadOfTheBackgroundWaitersBeforeIt()
    {
        using var limiter = new GenerationLimiter(2, 16);
        var live0 = await limiter.AcquireAsync(CancellationToken.None);
        var background0 = await Background(limiter);
        var earlier = Enumerable.Range(0, 3).Select(_ => Background(limiter)).ToList();
        var priority = new FlightPriority(WorkPriority.Background);
        var promoted = limiter.AcquireAsync(0, priority, CancellationToken.None);

        priority.Promote();
        Assert.Equal((1, 3), (limiter.QueuedLive, limiter.QueuedBackground));
        background0.Dispose();

        using var slot = await promoted.WaitAsync(Deadline);
        Assert.Equal((2, 0, 3), (limiter.Running, limiter.RunningBackground, limiter.QueuedBackground));
        live0.Dispose();
        Assert.Equal((2, 1, 2), (limiter.Running, limiter.RunningBackground, limiter.QueuedBackground));
        using var next = await await Task.WhenAny(earlier).WaitAsync(Deadline);
    }

    [Fact]
    public async Task ALiveCaller_JoiningABackgroundFlight_PromotesItsWait()
    {
        using var limiter = new GenerationLimiter(2, 16);
        using var held = await Background(limiter);
        var flights = new SingleFlight<int>();
        var runs = 0;
        async Task<int> Work(FlightPriority p)
        {
            Interlocked.Increment(ref runs);
            using var slot = await limiter.AcquireAsync(0, p, CancellationToken.None);
            return limiter.RunningBackground;
        }

        var job = flights.RunAsync("k", WorkPriority.Background, Work);
        Assert.False(job.IsCompleted); // waits behind the held share
        var request = flights.RunAsync("k", WorkPriority.Live, Work);

        Assert.Equal(1, await request.WaitAsync(Deadline)); // granted as live: the background count stayed at the held slot
        Assert.Equal(1, await job.WaitAsync(Deadline)); // the same run
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task ABackgroundCaller_JoiningALiveFlight_DoesNotDemoteIt()
    {
        using var limiter = new GenerationLimiter(2, 16);
        using var held = await Background(limiter);
        var flights = new SingleFlight<WorkPriority>();
        var gate = new TaskCompletionSource();
        var live = flights.RunAsync("k", WorkPriority.Live, async p =>
        {
            await gate.Task;
            using var slot = await limiter.AcquireAsync(0, p, CancellationToken.None);
            return p.Value;
        });
        var job = flights.RunAsync("k", WorkPriority.Background, _ => throw new InvalidOperationException("joined, not run"));
        gate.SetResult();

        Assert.Equal(WorkPriority.Live, await live.WaitAsync(Deadline));
        Assert.Equal(WorkPriority.Live, await job.WaitAsync(Deadline));
    }

    [Fact]
    public async Task BackgroundWaiters_NeverGetQueueFull_NorTimeOut_WhileLiveOnesDo()
    {
        using var limiter = new GenerationLimiter(1, maxQueued: 1, maxWait: TimeSpan.FromMilliseconds(200));
        var held = await limiter.AcquireAsync(CancellationToken.None);
        var background = Enumerable.Range(0, 20).Select(_ => Background(limiter)).ToList(); // far past the live queue's limit of 1
        var live = limiter.AcquireAsync(CancellationToken.None);
        await Assert.ThrowsAsync<QueueFullException>(() => limiter.AcquireAsync(CancellationToken.None)); // the live queue is full

        await Assert.ThrowsAsync<QueueFullException>(() => live.WaitAsync(Deadline)); // the live wait passed its limit; the earlier background ones did not end
        Assert.All(background, w => Assert.False(w.IsCompleted));
        Assert.Equal((0, 20), (limiter.QueuedLive, limiter.QueuedBackground));

        held.Dispose();
        while (background.Count > 0)
        {
            var granted = await Task.WhenAny(background).WaitAsync(Deadline); // one at a time: a grant happens on each release
            (await granted).Dispose();
            background.Remove(granted);
        }

        Assert.Equal(0, limiter.Running);
    }

    [Fact]
    public async Task CancellingABackgroundWaiter_ReleasesNothingItDidNotHold()
    {
        using var limiter = new GenerationLimiter(2, 16);
        var held = await Background(limiter);
        using var cancel = new CancellationTokenSource();
        var waiter = Background(limiter, cancel.Token);
        var other = Background(limiter);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(Deadline));
        Assert.Equal((1, 1, 1), (limiter.Running, limiter.RunningBackground, limiter.QueuedBackground));
        Assert.False(other.IsCompleted);
        held.Dispose();
        using var next = await other.WaitAsync(Deadline); // the other waiter got the held slot, and only it
        Assert.Equal((1, 1, 0), (limiter.Running, limiter.RunningBackground, limiter.Queued));
        using var a = await limiter.AcquireAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.False(limiter.AcquireAsync(CancellationToken.None).IsCompleted); // still exactly two slots
    }

    [Fact]
    public async Task ALiveWaiter_HoldsBackgroundWorkBack_UntilItLeaves()
    {
        using var limiter = new GenerationLimiter(3, 16, memoryBudget: 100);
        using var big = await limiter.AcquireAsync(80, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var live = limiter.AcquireAsync(50, cancel.Token); // waits for memory
        var background = limiter.AcquireAsync(10, new FlightPriority(WorkPriority.Background), CancellationToken.None);
        Assert.False(background.IsCompleted); // it would fit, but a live waiter is queued

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => live.WaitAsync(Deadline));

        using var slot = await background.WaitAsync(Deadline);
        Assert.Equal((2, 90L), (limiter.Running, limiter.MemoryInUse));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
