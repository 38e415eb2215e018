"""Placeholder until the offline map assets land (see issue 4)."""
if __name__ == "__main__":
    print("no map assets to install yet")
