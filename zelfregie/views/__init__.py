"""The Zelfregiecentrum's views, one module per concern: the public agenda, counting at the door, participants and
expected visitors, and activities. Shared lookups and helpers are in `common`."""
