using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Tessera.Core.Remote;

/// <summary>Polly retry over whole attempts (request and body): exponential backoff with jitter, or the upstream's
/// Retry-After when it gave one. Attempts that ask for a longer pause than MaxRetryAfter never reach here as
/// retryable, so they fail at once.</summary>
internal static class RetryPipeline
{
    public static ResiliencePipeline<Attempt> Build(RemoteOptions options, TimeProvider time, ILogger logger)
    {
        if (options.MaxRetries == 0)
        {
            return ResiliencePipeline<Attempt>.Empty;
        }

        return new ResiliencePipelineBuilder<Attempt> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is Attempt.Retryable),
                DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Result is Attempt.Retryable { Failure.RetryAfter: { } after } ? after : (TimeSpan?)null),
                OnRetry = args =>
                {
                    if (args.Outcome.Result is Attempt.Retryable retry)
                    {
                        Log.Retrying(logger, args.AttemptNumber + 1, new Redaction.Redacted(retry.Url.AbsoluteUri), args.RetryDelay, retry.Failure.Detail);
                    }

                    return default;
                },
            })
            .Build();
    }
}
