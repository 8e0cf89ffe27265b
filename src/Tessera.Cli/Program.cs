using Tessera.Cli;
using Tessera.Index.Sqlite;

// One SQLite in the process (libvips may load the system one): before anything opens SQLite.
SqliteLibrary.UseSystemLibrary();
if (args is ["warm" or "serve", ..])
{
    // The commands that thumbnail start libvips now, beside the command line's parsing and the configuration's reading
    // (their own call to EngineStart finds it under way): libvips' load is the longest part of their start.
    SqliteLibrary.BindNow();
    Tessera.Core.Engine.EngineStart.InBackground();
}

return await TesseraCli.RunAsync(args, Console.Out, Console.Error);
