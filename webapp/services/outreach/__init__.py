"""Work at the high schools (反向办): offline pre-registration and its sync, the review of what
arrived, school rosters and publicity, capture devices and their clocks, and the offline
shell the service worker keeps."""
