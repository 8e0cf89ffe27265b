using Tessera.Cli;
using Tessera.Index.Sqlite;

// One SQLite in the process (libvips may load the system one): before anything opens SQLite.
SqliteLibrary.UseSystemLibrary();
return await TesseraCli.RunAsync(args, Console.Out, Console.Error);
