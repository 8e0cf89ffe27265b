// The harness every peer shares: file paths on standard input (one a line, in the order given), an output folder and a
// worker count as arguments. Workers take the next file in order; each file becomes OUT/<index>.webp, fit inside
// 400x400 (the grid preset), EXIF orientation applied, WebP quality 80. Exit 1 if any file failed.
internal static class PeerRunner
{
    public static int Run(string[] args, Action<string, string> thumbnail)
    {
        if (args.Length != 2 || !int.TryParse(args[1], out var workers) || workers < 1)
        {
            Console.Error.WriteLine("usage: PEER OUT_DIR WORKERS < files");
            return 2;
        }
        var outDir = args[0];
        Directory.CreateDirectory(outDir);
        var files = new List<string>();
        while (Console.In.ReadLine() is { } line)
        {
            if (line.Length > 0) files.Add(line);
        }
        var next = -1;
        var failed = 0;
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < files.Count)
            {
                try
                {
                    thumbnail(files[i], Path.Combine(outDir, $"{i:D5}.webp"));
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref failed);
                    Console.Error.WriteLine($"{files[i]}: {e.Message}");
                }
            }
        }, 16 * 1024 * 1024)).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Console.WriteLine($"thumbnailed {files.Count - failed}, failed {failed}");
        return failed == 0 ? 0 : 1;
    }
}
