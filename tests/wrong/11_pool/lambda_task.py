"""Wrong answer to kata 11: each task is a lambda that closes over the shop.

The pool pickles every task to send it to a worker process, and a lambda
cannot be pickled: every future fails with a PicklingError, not a bun is
eaten. (It is so under every start method: a pool always pickles its tasks.)
"""
from concurrent.futures import ProcessPoolExecutor


def diner(bun, shop):
    shop.eat(bun)  # a bad bun raises BadBun here: the pool carries it home in this task's future
    return bun


def open_shop(shop):
    with ProcessPoolExecutor(max_workers=shop.diners) as pool:
        futures = [pool.submit(lambda bun: diner(bun, shop), bun) for bun in shop.buns()]  # no need to pass shop
        for future in futures:  # in the order the buns were cooked, whatever order they finish in
            try:
                shop.served(future.result())  # raises the task's own error
            except Exception as error:
                shop.handle_error(error)
