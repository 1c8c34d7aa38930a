"""Wrong answer to kata 11: the results are served as they complete.

as_completed() gives the futures in the order their tasks finish: a slow
first bun is served last, where the contract promised the order the buns
were cooked (WRONG).
"""
from concurrent.futures import ProcessPoolExecutor, as_completed


def diner(bun, shop):
    shop.eat(bun)  # a bad bun raises BadBun here: the pool carries it home in this task's future
    return bun


def open_shop(shop):
    with ProcessPoolExecutor(max_workers=shop.diners) as pool:
        futures = [pool.submit(diner, bun, shop) for bun in shop.buns()]
        for future in as_completed(futures):  # the first one done is served first
            try:
                shop.served(future.result())  # raises the task's own error
            except Exception as error:
                shop.handle_error(error)
