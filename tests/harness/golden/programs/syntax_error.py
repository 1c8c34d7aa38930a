def open_shop(shop)
    pass
