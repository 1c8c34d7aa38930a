"""Wrong: main joins only the first cook, then waits on counter.join().

counter.join() waits for the buns put so far. Once the first cook is done,
its buns are on the counter, but a cook who is late may not have put a
single bun yet. counter.join() returns as soon as the buns so far are eaten,
main ends, and the late cook's buns are never eaten: the daemons are already
gone (LOST).
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while True:
        bun = counter.get()
        shop.eat(bun)
        counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop), daemon=True) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    cooks[0].join()  # "the cooks work at the same pace anyway"
    counter.join()
    print("Every bun is eaten. The shop is closed.")
